package emulator_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/emulator"
)

// signedValidity is the RRSIG validity of the signed test zone on the harness's fixed clock: expiring
// 14 days after t0, incepted an hour before it.
const signedValidity = "20260315120000 20260301110000"

// rrsig is the normalised RRSIG line (see keyNames.text) of an RRset of the test zone.
func rrsig(owner string, ttl int, covered string, labels int, key string) string {
	return fmt.Sprintf("%s %d IN RRSIG %s 13 %d %d %s %s example.test. SIG", owner, ttl, covered, labels, ttl, signedValidity, key)
}

// signedSOA is the parent's SOA with its signature, as signed negative answers carry it.
var signedSOA = parentSOA + "\n" + rrsig("example.test.", 900, "SOA", 2, "ZSK")

// signedCases are the answers of the signing zone to queries with the DO bit: every RRset with
// its RRSIG, and NSEC records proving what does not exist.
var signedCases = []dnsCase{
	{name: "A", qname: "www.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		www.example.test. 300 IN A 192.0.2.1
		` + rrsig("www.example.test.", 300, "A", 3, "ZSK")},
	{name: "DNSKEY, signed by the KSK through KMS", qname: "example.test.", qtype: mdns.TypeDNSKEY, aa: true, answer: `
		example.test. 3600 IN DNSKEY 256 3 13 ZSK
		example.test. 3600 IN DNSKEY 257 3 13 KSK
		` + rrsig("example.test.", 3600, "DNSKEY", 2, "KSK")},
	{name: "MX at the apex", qname: "example.test.", qtype: mdns.TypeMX, aa: true, answer: `
		example.test. 300 IN MX 10 mail.example.test.
		` + rrsig("example.test.", 300, "MX", 2, "ZSK")},
	{name: "CNAME chased", qname: "cname.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		cname.example.test. 300 IN CNAME www.example.test.
		` + rrsig("cname.example.test.", 300, "CNAME", 3, "ZSK") + `
		www.example.test. 300 IN A 192.0.2.1
		` + rrsig("www.example.test.", 300, "A", 3, "ZSK")},
	{name: "CNAME out of the zone", qname: "ext.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		ext.example.test. 300 IN CNAME target.example.org.
		` + rrsig("ext.example.test.", 300, "CNAME", 3, "ZSK")},
	{name: "alias, signed under its own name", qname: "alias.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		alias.example.test. 300 IN A 192.0.2.1
		` + rrsig("alias.example.test.", 300, "A", 3, "ZSK")},
	{name: "SRV", qname: "_sip._tcp.example.test.", qtype: mdns.TypeSRV, aa: true, answer: `
		_sip._tcp.example.test. 300 IN SRV 10 5 5060 sip.example.test.
		` + rrsig("_sip._tcp.example.test.", 300, "SRV", 4, "ZSK")},
	{name: "wildcard: the wildcard's signature (labels 3) and the proof no closer name exists",
		qname: "a.wild.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		a.wild.example.test. 60 IN A 192.0.2.80
		` + rrsig("a.wild.example.test.", 60, "A", 3, "ZSK"), ns: `
		*.wild.example.test. 900 IN NSEC www.example.test. A RRSIG NSEC
		` + rrsig("*.wild.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "wildcard, two labels below", qname: "b.a.wild.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		b.a.wild.example.test. 60 IN A 192.0.2.80
		` + rrsig("b.a.wild.example.test.", 60, "A", 3, "ZSK"), ns: `
		*.wild.example.test. 900 IN NSEC www.example.test. A RRSIG NSEC
		` + rrsig("*.wild.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "wildcard of another type: NODATA, the wildcard's NSEC once", qname: "a.wild.example.test.", qtype: mdns.TypeAAAA, aa: true,
		ns: signedSOA + `
		*.wild.example.test. 900 IN NSEC www.example.test. A RRSIG NSEC
		` + rrsig("*.wild.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "NXDOMAIN: the NSEC covering the name and the one covering the wildcard", qname: "nx.example.test.", qtype: mdns.TypeA,
		rcode: mdns.RcodeNameError, aa: true, ns: signedSOA + `
		ns1.example.test. 900 IN NSEC sub.example.test. A RRSIG NSEC
		` + rrsig("ns1.example.test.", 900, "NSEC", 3, "ZSK") + `
		example.test. 900 IN NSEC _sip._tcp.example.test. NS SOA MX RRSIG NSEC DNSKEY CAA
		` + rrsig("example.test.", 900, "NSEC", 2, "ZSK")},
	{name: "NXDOMAIN below a name: one NSEC covers both", qname: "nx.www.example.test.", qtype: mdns.TypeA,
		rcode: mdns.RcodeNameError, aa: true, ns: signedSOA + `
		www.example.test. 900 IN NSEC example.test. A AAAA RRSIG NSEC
		` + rrsig("www.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "NODATA: the name's NSEC", qname: "www.example.test.", qtype: mdns.TypeMX, aa: true, ns: signedSOA + `
		www.example.test. 900 IN NSEC example.test. A AAAA RRSIG NSEC
		` + rrsig("www.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "empty non-terminal: the NSEC whose next name is below it", qname: "_tcp.example.test.", qtype: mdns.TypeSRV, aa: true,
		ns: signedSOA + `
		example.test. 900 IN NSEC _sip._tcp.example.test. NS SOA MX RRSIG NSEC DNSKEY CAA
		` + rrsig("example.test.", 900, "NSEC", 2, "ZSK")},
	{name: "empty non-terminal above a wildcard", qname: "wild.example.test.", qtype: mdns.TypeA, aa: true, ns: signedSOA + `
		txt.example.test. 900 IN NSEC *.wild.example.test. TXT RRSIG NSEC
		` + rrsig("txt.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "referral with the signed DS", qname: "www.sub.example.test.", qtype: mdns.TypeA, ns: subNS + `
		sub.example.test. 3600 IN DS ` + dnsChildDS + `
		` + rrsig("sub.example.test.", 3600, "DS", 3, "ZSK"), extra: subGlue},
	{name: "referral without DS: the NSEC proving there is none", qname: "www.nods.example.test.", qtype: mdns.TypeA, ns: `
		nods.example.test. 172800 IN NS ns1.example.test.
		nods.example.test. 900 IN NSEC ns1.example.test. NS RRSIG NSEC
		` + rrsig("nods.example.test.", 900, "NSEC", 3, "ZSK"), extra: "ns1.example.test. 3600 IN A 192.0.2.53"},
	{name: "DS at the delegation", qname: "sub.example.test.", qtype: mdns.TypeDS, aa: true, answer: `
		sub.example.test. 3600 IN DS ` + dnsChildDS + `
		` + rrsig("sub.example.test.", 3600, "DS", 3, "ZSK")},
	{name: "DS at the hosted child's apex, from the hosted parent: none", qname: "hosted.example.test.", qtype: mdns.TypeDS, aa: true,
		ns: signedSOA + `
		hosted.example.test. 900 IN NSEC mail.example.test. NS RRSIG NSEC
		` + rrsig("hosted.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "CNAME into a delegated child: the resolver follows it", qname: "child.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		child.example.test. 300 IN CNAME www.sub.example.test.
		` + rrsig("child.example.test.", 300, "CNAME", 3, "ZSK")},
	{name: "NSEC queried", qname: "www.example.test.", qtype: mdns.TypeNSEC, aa: true, answer: `
		www.example.test. 900 IN NSEC example.test. A AAAA RRSIG NSEC
		` + rrsig("www.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "RRSIGs queried", qname: "www.example.test.", qtype: mdns.TypeRRSIG, aa: true, answer: rrsig("www.example.test.", 300, "A", 3, "ZSK") + `
		` + rrsig("www.example.test.", 300, "AAAA", 3, "ZSK") + `
		` + rrsig("www.example.test.", 900, "NSEC", 3, "ZSK")},
	{name: "RRSIGs queried at the apex", qname: "example.test.", qtype: mdns.TypeRRSIG, aa: true, answer: rrsig("example.test.", 172800, "NS", 2, "ZSK") + `
		` + rrsig("example.test.", 900, "SOA", 2, "ZSK") + `
		` + rrsig("example.test.", 300, "MX", 2, "ZSK") + `
		` + rrsig("example.test.", 900, "NSEC", 2, "ZSK") + `
		` + rrsig("example.test.", 3600, "DNSKEY", 2, "KSK") + `
		` + rrsig("example.test.", 300, "CAA", 2, "ZSK")},
	{name: "the hosted child does not sign", qname: "www.hosted.example.test.", qtype: mdns.TypeA, aa: true,
		answer: "www.hosted.example.test. 300 IN A 192.0.2.200"},
	{name: "the hosted child does not sign: NXDOMAIN without NSEC", qname: "nx.hosted.example.test.", qtype: mdns.TypeA,
		rcode: mdns.RcodeNameError, aa: true, ns: childSOA},
}

// TestDNSSignedAnswers asks the signing zone every signed case with the DO bit, compares the
// answers, and checks each cryptographically: every RRSIG verifies with the zone's key of its
// key tag and is valid at the emulator's clock, every authoritative RRset is signed, and the
// NSEC records prove what the answer says does not exist.
func TestDNSSignedAnswers(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, true)
	keys := z.keyNames(t, dnsParent)
	dnskeys := z.dnskeys(t)
	for _, c := range signedCases {
		t.Run(c.name, func(t *testing.T) {
			r := c.run(t, z, keys, true)
			if mdns.IsSubDomain(dnsChild, c.qname) && c.qtype != mdns.TypeDS {
				return // the hosted child does not sign
			}
			for _, err := range checkSigned(r, dnsParent, dnskeys, z.env.Server.Now()) {
				t.Error(err)
			}
		})
	}
}

// dnskeys returns the signing zone's DNSKEY RRset, after checking the chain of trust from the
// DS that GetDNSSEC gives to publish in the parent: the DS matches a KSK (flags 257) of the
// RRset, the RRset's RRSIG verifies with that KSK and is valid at the emulator's clock, and the
// RRset holds one ZSK (flags 256) beside it.
func (z *dnsZones) dnskeys(t testing.TB) []*mdns.DNSKEY {
	t.Helper()
	ds, ok := need(mdns.NewRR(dnsParent + " 3600 IN DS " + z.ds))(t).(*mdns.DS)
	if !ok {
		t.Fatalf("DSRecord %q is not a DS", z.ds)
	}
	r := z.query(t, "tcp", dnsParent, mdns.TypeDNSKEY, true, true)
	var keys []*mdns.DNSKEY
	var rrset []mdns.RR
	var sigs []*mdns.RRSIG
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *mdns.DNSKEY:
			keys, rrset = append(keys, v), append(rrset, v)
		case *mdns.RRSIG:
			sigs = append(sigs, v)
		}
	}
	var ksk *mdns.DNSKEY
	zsks := 0
	for _, k := range keys {
		switch k.Flags {
		case 256:
			zsks++
		case 257:
			if kds := k.ToDS(mdns.SHA256); kds != nil && strings.EqualFold(kds.Digest, ds.Digest) && kds.KeyTag == ds.KeyTag &&
				kds.Algorithm == ds.Algorithm && kds.DigestType == ds.DigestType {
				ksk = k
			}
		}
	}
	if ksk == nil || zsks != 1 {
		t.Fatalf("DNSKEY RRset %v: no KSK matches the DS %s from GetDNSSEC, or not one ZSK", rrset, ds)
	}
	verified := false
	for _, s := range sigs {
		if s.KeyTag == ksk.KeyTag() && s.Verify(ksk, rrset) == nil && s.ValidityPeriod(z.env.Server.Now()) {
			verified = true
		}
	}
	if !verified {
		t.Fatalf("no RRSIG of the DNSKEY RRset verifies with the KSK %d at %v: %v", ksk.KeyTag(), z.env.Server.Now(), sigs)
	}
	return keys
}

// TestDNSChainOfTrust checks the chain from the DS of GetDNSSEC down to an answer: the DS
// matches the KSK, the KSK signs the DNSKEY RRset (checked by dnskeys), and the ZSK of that
// RRset signs the answer.
func TestDNSChainOfTrust(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, true)
	keys := z.dnskeys(t)
	zsk := keys[slices.IndexFunc(keys, func(k *mdns.DNSKEY) bool { return k.Flags == 256 })]
	r := z.query(t, "udp", "www.example.test.", mdns.TypeA, true, true)
	var rrset []mdns.RR
	var sig *mdns.RRSIG
	for _, rr := range r.Answer {
		if s, ok := rr.(*mdns.RRSIG); ok {
			sig = s
		} else {
			rrset = append(rrset, rr)
		}
	}
	if sig == nil || len(rrset) != 1 {
		t.Fatalf("answer %v, want an A record and its RRSIG", r.Answer)
	}
	if sig.KeyTag != zsk.KeyTag() || sig.SignerName != dnsParent {
		t.Errorf("the answer's RRSIG is by key %d of %s, want the ZSK %d of %s", sig.KeyTag, sig.SignerName, zsk.KeyTag(), dnsParent)
	}
	if err := sig.Verify(zsk, rrset); err != nil {
		t.Errorf("the answer's RRSIG does not verify with the ZSK: %v", err)
	}
	now := z.env.Server.Now()
	if !sig.ValidityPeriod(now) || int64(sig.Inception) > now.Unix() || int64(sig.Expiration)-now.Unix() != int64(14*24*time.Hour/time.Second) {
		t.Errorf("RRSIG valid %s to %s, want from before %v for 14 days", mdns.TimeToString(sig.Inception), mdns.TimeToString(sig.Expiration), now)
	}
}

// dnsCanonicalCompare orders names as DNSSEC does (RFC 4034 §6.1): label by label from the root,
// each compared as lower-case bytes; a name sorts before its descendants.
func dnsCanonicalCompare(a, b string) int {
	la, lb := mdns.SplitDomainName(strings.ToLower(a)), mdns.SplitDomainName(strings.ToLower(b))
	for i := 1; i <= len(la) && i <= len(lb); i++ {
		if c := strings.Compare(la[len(la)-i], lb[len(lb)-i]); c != 0 {
			return c
		}
	}
	return len(la) - len(lb)
}

// nsecCovers reports whether an NSEC proves name does not exist: name falls strictly between its
// owner and its next name (the last NSEC of the zone wraps around to the apex).
func nsecCovers(n *mdns.NSEC, name string) bool {
	after, before := dnsCanonicalCompare(n.Hdr.Name, name) < 0, dnsCanonicalCompare(name, n.NextDomain) < 0
	if dnsCanonicalCompare(n.Hdr.Name, n.NextDomain) < 0 {
		return after && before
	}
	return after || before
}

// checkSigned checks the DNSSEC of an answer from zone, signed with keys, at time now: each
// RRSIG verifies with the key of its key tag (the KSK for the DNSKEY RRset, the ZSK otherwise)
// and is valid at now; each RRset of the answer and authority sections is signed (but for the NS
// records of a referral); and NSEC records prove every denial (RFC 4035 §3.1.3): for NXDOMAIN,
// an NSEC covering the name and one covering the wildcard at the closest encloser; for NODATA,
// the name's NSEC without the type, or for an empty non-terminal an NSEC covering the name whose
// next name lies below it, or for a wildcard the wildcard's NSEC without the type and an NSEC
// covering the name; for a wildcard answer an NSEC covering the name; for a referral without
// DS the delegation's NSEC without DS.
func checkSigned(m *mdns.Msg, zone string, keys []*mdns.DNSKEY, now time.Time) []error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	q := m.Question[0]
	qname := strings.ToLower(q.Name)
	var nsecs []*mdns.NSEC
	for sect, rrs := range map[string][]mdns.RR{"answer": m.Answer, "authority": m.Ns} {
		type set struct {
			name  string
			rtype uint16
		}
		rrsets := map[set][]mdns.RR{}
		signed := map[set]bool{}
		var sigs []*mdns.RRSIG
		for _, rr := range rrs {
			h := rr.Header()
			switch v := rr.(type) {
			case *mdns.RRSIG:
				sigs = append(sigs, v)
				continue
			case *mdns.NSEC:
				nsecs = append(nsecs, v)
			}
			k := set{strings.ToLower(h.Name), h.Rrtype}
			rrsets[k] = append(rrsets[k], rr)
		}
		for _, s := range sigs {
			if sect == "answer" && q.Qtype == mdns.TypeRRSIG {
				continue // the answer itself: signatures of RRsets not in the message
			}
			k := set{strings.ToLower(s.Hdr.Name), s.TypeCovered}
			rrset := rrsets[k]
			if len(rrset) == 0 {
				fail("%s: RRSIG of %s %s covers no RRset", sect, s.Hdr.Name, mdns.TypeToString[s.TypeCovered])
				continue
			}
			wantFlags := uint16(256)
			if s.TypeCovered == mdns.TypeDNSKEY {
				wantFlags = 257
			}
			i := slices.IndexFunc(keys, func(k *mdns.DNSKEY) bool { return k.KeyTag() == s.KeyTag && k.Flags == wantFlags })
			switch {
			case i < 0:
				fail("%s: RRSIG of %s %s by key %d, not a key with flags %d of the zone", sect, s.Hdr.Name, mdns.TypeToString[s.TypeCovered], s.KeyTag, wantFlags)
			case !strings.EqualFold(s.SignerName, zone):
				fail("%s: RRSIG of %s %s by signer %s, want %s", sect, s.Hdr.Name, mdns.TypeToString[s.TypeCovered], s.SignerName, zone)
			default:
				if err := s.Verify(keys[i], rrset); err != nil {
					fail("%s: RRSIG of %s %s does not verify: %v", sect, s.Hdr.Name, mdns.TypeToString[s.TypeCovered], err)
				} else if !s.ValidityPeriod(now) {
					fail("%s: RRSIG of %s %s is not valid at %v (%s to %s)", sect, s.Hdr.Name, mdns.TypeToString[s.TypeCovered], now,
						mdns.TimeToString(s.Inception), mdns.TimeToString(s.Expiration))
				} else {
					signed[k] = true
				}
			}
			if n := mdns.CountLabel(s.Hdr.Name); int(s.Labels) < n {
				// A wildcard expansion: an NSEC must prove the query name itself does not exist.
				if !slices.ContainsFunc(m.Ns, func(rr mdns.RR) bool { n, ok := rr.(*mdns.NSEC); return ok && nsecCovers(n, qname) }) {
					fail("wildcard answer %s (RRSIG labels %d) without an NSEC covering %s", s.Hdr.Name, s.Labels, qname)
				}
			}
		}
		for k := range rrsets {
			if !signed[k] && !(sect == "authority" && !m.Authoritative && k.rtype == mdns.TypeNS) {
				fail("%s: %s %s has no valid RRSIG", sect, k.name, mdns.TypeToString[k.rtype])
			}
		}
	}

	at := func(name string) *mdns.NSEC {
		for _, n := range nsecs {
			if strings.EqualFold(n.Hdr.Name, name) {
				return n
			}
		}
		return nil
	}
	covering := func(name string) *mdns.NSEC {
		for _, n := range nsecs {
			if nsecCovers(n, name) {
				return n
			}
		}
		return nil
	}
	// closestEncloser is the longest ancestor of qname an NSEC proves to exist: the longer
	// common ancestor of qname with the owner or the next name of the NSEC covering qname.
	closestEncloser := func(cover *mdns.NSEC) string {
		n := max(mdns.CompareDomainName(qname, cover.Hdr.Name), mdns.CompareDomainName(qname, cover.NextDomain))
		labels := mdns.SplitDomainName(qname)
		return mdns.Fqdn(strings.Join(labels[len(labels)-n:], "."))
	}
	switch {
	case m.Rcode == mdns.RcodeNameError:
		cover := covering(qname)
		if cover == nil {
			fail("NXDOMAIN for %s without an NSEC covering it: %v", qname, nsecs)
			break
		}
		if wild := "*." + closestEncloser(cover); covering(wild) == nil {
			fail("NXDOMAIN for %s without an NSEC covering the wildcard %s: %v", qname, wild, nsecs)
		}
	case m.Rcode == mdns.RcodeSuccess && !m.Authoritative:
		if !slices.ContainsFunc(m.Ns, func(rr mdns.RR) bool { return rr.Header().Rrtype == mdns.TypeDS }) {
			ns := slices.IndexFunc(m.Ns, func(rr mdns.RR) bool { return rr.Header().Rrtype == mdns.TypeNS })
			if ns < 0 {
				fail("referral without NS records")
				break
			}
			n := at(m.Ns[ns].Header().Name)
			if n == nil || !slices.Contains(n.TypeBitMap, mdns.TypeNS) || slices.Contains(n.TypeBitMap, mdns.TypeDS) ||
				slices.Contains(n.TypeBitMap, mdns.TypeSOA) {
				fail("referral without DS to %s lacks the delegation's NSEC with NS and without DS and SOA: %v", m.Ns[ns].Header().Name, n)
			}
		}
	case m.Rcode == mdns.RcodeSuccess && len(m.Answer) == 0:
		if n := at(qname); n != nil {
			if slices.Contains(n.TypeBitMap, q.Qtype) || slices.Contains(n.TypeBitMap, mdns.TypeCNAME) {
				fail("NODATA for %s %s but its NSEC lists the type or CNAME: %v", qname, mdns.TypeToString[q.Qtype], n)
			}
			break
		}
		cover := covering(qname)
		if cover == nil {
			fail("NODATA for %s %s with neither its NSEC nor one covering it: %v", qname, mdns.TypeToString[q.Qtype], nsecs)
			break
		}
		if mdns.IsSubDomain(qname, cover.NextDomain) {
			break // an empty non-terminal
		}
		wild := at("*." + closestEncloser(cover))
		if wild == nil || slices.Contains(wild.TypeBitMap, q.Qtype) || slices.Contains(wild.TypeBitMap, mdns.TypeCNAME) {
			fail("NODATA for %s %s: not an empty non-terminal, and no wildcard NSEC without the type: %v", qname, mdns.TypeToString[q.Qtype], nsecs)
		}
	}
	return errs
}

// TestDNSSignatureCache checks that signatures are made once and served from the cache: the
// same query twice gets the same RRSIG (ECDSA signatures differ each time they are made).
func TestDNSSignatureCache(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, true)
	for _, q := range []struct {
		name  string
		qtype uint16
	}{{"www.example.test.", mdns.TypeA}, {"nx.example.test.", mdns.TypeA}, {"a.wild.example.test.", mdns.TypeA}} {
		first := z.query(t, "udp", q.name, q.qtype, true, true)
		second := z.query(t, "tcp", q.name, q.qtype, true, true)
		if a, b := fmt.Sprint(first.Answer, first.Ns), fmt.Sprint(second.Answer, second.Ns); a != b || !strings.Contains(a, "RRSIG") {
			t.Errorf("%s %s asked twice:\n%s\n%s\nwant the same signed answer", q.name, mdns.TypeToString[q.qtype], a, b)
		}
	}
}

// dnskeySigs returns the RRSIGs served with the DNSKEY RRset.
func (z *dnsZones) dnskeySigs(t testing.TB) []*mdns.RRSIG {
	t.Helper()
	var out []*mdns.RRSIG
	for _, rr := range z.query(t, "tcp", dnsParent, mdns.TypeDNSKEY, true, true).Answer {
		if s, ok := rr.(*mdns.RRSIG); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestDNSKeyDisabled follows a signing zone whose KSK's KMS key is disabled: at the next re-sign
// (ResignInterval later) the KSK turns ACTION_NEEDED, the DNSKEY RRSIGs made before are still
// served while they are valid, and once they expire (SignatureValidity, 14 days) no valid DNSKEY
// RRSIG is served, so validating resolvers fail the zone.
func TestDNSKeyDisabled(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, true)
	ctx := context.Background()
	keys := z.dnskeys(t)
	before := z.dnskeySigs(t)
	if len(before) != 1 {
		t.Fatalf("DNSKEY RRSIGs = %v, want 1", before)
	}
	need(z.kms.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(z.keyARN)}))(t)
	z.env.Server.Advance(25 * time.Hour) // past the default ResignInterval, 24h

	out := need(z.r53.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: aws.String(z.parentID)}))(t)
	if got := aws.ToString(out.Status.ServeSignature); got != "ACTION_NEEDED" || len(out.KeySigningKeys) != 1 ||
		aws.ToString(out.KeySigningKeys[0].Status) != "ACTION_NEEDED" {
		t.Errorf("GetDNSSEC after DisableKey: ServeSignature %s, KSKs %+v; want ACTION_NEEDED", got, out.KeySigningKeys)
	}
	after := z.dnskeySigs(t)
	if len(after) != 1 || after[0].String() != before[0].String() || !after[0].ValidityPeriod(z.env.Server.Now()) {
		t.Errorf("DNSKEY RRSIGs a day after DisableKey = %v, want the last good one, still valid: %v", after, before)
	}
	// The rest of the zone is still signed with the ZSK, which Route 53 holds.
	if errs := checkSigned(z.query(t, "udp", "www.example.test.", mdns.TypeA, true, true), dnsParent, keys, z.env.Server.Now()); len(errs) > 0 {
		t.Errorf("www A a day after DisableKey: %v", errs)
	}

	z.env.Server.Advance(14 * 24 * time.Hour) // past the signatures' expiration
	now := z.env.Server.Now()
	for _, s := range z.dnskeySigs(t) {
		if s.ValidityPeriod(now) {
			t.Errorf("15 days after DisableKey the DNSKEY RRset has an RRSIG valid at %v: %v", now, s)
		}
	}
	if got := aws.ToString(z.r53GetServe(t)); got != "ACTION_NEEDED" {
		t.Errorf("ServeSignature 15 days after DisableKey = %s, want ACTION_NEEDED", got)
	}
}

// r53GetServe returns the parent zone's ServeSignature.
func (z *dnsZones) r53GetServe(t testing.TB) *string {
	t.Helper()
	return need(z.r53.GetDNSSEC(context.Background(), &route53.GetDNSSECInput{HostedZoneId: aws.String(z.parentID)}))(t).Status.ServeSignature
}
