package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// validate resolves name's A record from the emulator's DNS server as a validating resolver
// would, trusting only the DS record ds (as GetDNSSEC prints it) for zone, at time now (the
// emulator's clock): the DNSKEY RRset must be signed by the KSK the DS names, and the answer by
// a key of that RRset, with signatures valid at now. It returns the answer's addresses or, like
// a resolver's SERVFAIL, why validation failed.
func validate(dnsAddr, zone, ds, name string, now time.Time) ([]string, error) {
	if dnsAddr == "" {
		return nil, fmt.Errorf("no DNS address: start kms53 with -dns-addr and pass it to the scenarios")
	}
	anchor, err := parseDS(zone, ds)
	if err != nil {
		return nil, err
	}
	c := &dns.Client{Net: "tcp", Timeout: 5 * time.Second}
	query := func(qname string, t uint16) (*dns.Msg, error) {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(qname), t)
		m.SetEdns0(4096, true)
		in, _, err := c.Exchange(m, dnsAddr)
		return in, err
	}
	in, err := query(zone, dns.TypeDNSKEY)
	if err != nil {
		return nil, err
	}
	var keys []dns.RR
	var sigs []*dns.RRSIG
	var ksk *dns.DNSKEY
	for _, rr := range in.Answer {
		switch rr := rr.(type) {
		case *dns.DNSKEY:
			keys = append(keys, rr)
			if d := rr.ToDS(dns.SHA256); d != nil && rr.KeyTag() == anchor.KeyTag && strings.EqualFold(d.Digest, anchor.Digest) {
				ksk = rr
			}
		case *dns.RRSIG:
			sigs = append(sigs, rr)
		}
	}
	if ksk == nil {
		return nil, fmt.Errorf("SERVFAIL: no DNSKEY matches the DS %s", ds)
	}
	if !verified(sigs, ksk, keys, now) {
		return nil, fmt.Errorf("SERVFAIL: the DNSKEY RRset has no signature by the KSK (key tag %d) valid at %s", ksk.KeyTag(), now.Format(time.RFC3339))
	}
	in, err = query(name, dns.TypeA)
	if err != nil {
		return nil, err
	}
	var answer []dns.RR
	sigs = sigs[:0]
	var addrs []string
	for _, rr := range in.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			answer = append(answer, rr)
			addrs = append(addrs, rr.A.String())
		case *dns.RRSIG:
			sigs = append(sigs, rr)
		}
	}
	if len(answer) == 0 {
		return nil, fmt.Errorf("no A record for %s (rcode %s)", name, dns.RcodeToString[in.Rcode])
	}
	for _, k := range keys {
		if verified(sigs, k.(*dns.DNSKEY), answer, now) {
			return addrs, nil
		}
	}
	return nil, fmt.Errorf("SERVFAIL: the A record of %s has no valid signature by a key of the zone", name)
}

// verified reports whether one of sigs is a valid signature of rrset by key at now.
func verified(sigs []*dns.RRSIG, key *dns.DNSKEY, rrset []dns.RR, now time.Time) bool {
	for _, s := range sigs {
		if s.KeyTag == key.KeyTag() && s.ValidityPeriod(now) && s.Verify(key, rrset) == nil {
			return true
		}
	}
	return false
}

// parseDS reads "<tag> 13 2 <HEX>".
func parseDS(zone, ds string) (*dns.DS, error) {
	f := strings.Fields(ds)
	if len(f) != 4 {
		return nil, fmt.Errorf("DS record %q is not '<tag> <alg> <digest type> <digest>'", ds)
	}
	tag, err := strconv.Atoi(f[0])
	if err != nil {
		return nil, err
	}
	return &dns.DS{Hdr: dns.RR_Header{Name: dns.Fqdn(zone)}, KeyTag: uint16(tag), Algorithm: dns.ECDSAP256SHA256,
		DigestType: dns.SHA256, Digest: f[3]}, nil
}
