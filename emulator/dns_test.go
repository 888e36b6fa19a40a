package emulator_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/emulator"
)

// serveDNSTest serves h over UDP and TCP on one loopback port, as the binary does, and returns
// the address. Both servers have started when it returns; they are shut down when the test ends.
func serveDNSTest(t testing.TB, h mdns.Handler) string {
	t.Helper()
	pc, l := listenUDPAndTCP(t)
	for _, s := range []*mdns.Server{{PacketConn: pc, Handler: h}, {Listener: l, Handler: h}} {
		started := make(chan struct{})
		done := make(chan error, 1)
		s.NotifyStartedFunc = func() { close(started) }
		go func() { done <- s.ActivateAndServe() }()
		select {
		case <-started:
		case err := <-done:
			t.Fatalf("DNS server did not start: %v", err)
		}
		t.Cleanup(func() {
			if err := s.Shutdown(); err != nil {
				t.Errorf("DNS server shutdown: %v", err)
			}
			<-done
		})
	}
	return pc.LocalAddr().String()
}

// listenUDPAndTCP listens on one loopback port for UDP and TCP. The port the system gives for UDP
// may be taken for TCP (by another test's connection): then it tries another, a few times.
func listenUDPAndTCP(t testing.TB) (net.PacketConn, net.Listener) {
	t.Helper()
	var err error
	for range 20 {
		var pc net.PacketConn
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			break
		}
		var l net.Listener
		if l, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			return pc, l
		}
		pc.Close()
	}
	t.Fatalf("no loopback port free for UDP and TCP: %v", err)
	return nil, nil
}

// dnsQuery is a query: EDNS0 with a 4096-byte buffer when edns, the DO bit when do.
func dnsQuery(name string, qtype uint16, edns, do bool) *mdns.Msg {
	m := new(mdns.Msg)
	m.SetQuestion(mdns.Fqdn(name), qtype)
	m.RecursionDesired = false
	if edns || do {
		m.SetEdns0(4096, do)
	}
	return m
}

// exchangeDNS sends m over network ("udp" or "tcp") to addr and returns the answer. UDP answers
// are returned as they come, truncated or not.
func exchangeDNS(t testing.TB, addr, network string, m *mdns.Msg) *mdns.Msg {
	t.Helper()
	c := &mdns.Client{Net: network, Timeout: 5 * time.Second}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s query %s %s: %v", network, m.Question[0].Name, mdns.TypeToString[m.Question[0].Qtype], err)
	}
	if r.Id != m.Id {
		t.Fatalf("answer id %d, want %d", r.Id, m.Id)
	}
	return r
}

// Names and values of the zones the DNS tests serve.
const (
	dnsParent = "example.test."
	dnsChild  = "hosted.example.test."
	// dnsChildDS is the DS of the delegated (not hosted) child sub.example.test.
	dnsChildDS = "60485 13 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A"
)

// dnsBigTXT are the values of big.example.test TXT: more than 512 bytes of answer.
var dnsBigTXT = func() []string {
	var out []string
	for i := range 20 {
		out = append(out, fmt.Sprintf(`"record %02d of a TXT RRset too large for a 512-byte UDP answer"`, i))
	}
	return out
}()

// dnsZones is an emulator serving DNS with the test zones: the parent example.test, with one
// record set of each common type, an alias, a wildcard, a delegated child sub.example.test (NS,
// glue, DS), a delegation without DS nods.example.test, and the delegation of the hosted child
// zone hosted.example.test.
type dnsZones struct {
	env      *testEnv
	kms      *kms.Client
	r53      *route53.Client
	parentID string
	childID  string
	addr     string // the DNS server, UDP and TCP
	keyARN   string // the parent's KSK key, when it signs
	ds       string // GetDNSSEC's DSRecord of the parent's KSK, when it signs
}

// newDNSZones builds the test zones through the Route 53 API, signs the parent when sign is set
// (one ACTIVE KSK on a key with the Route 53 policy of AWS-BEHAVIOUR §6.2, then
// EnableHostedZoneDNSSEC), and serves the emulator's DNS handler on loopback. opts.Clock nil is
// the harness's fixed clock; validators, which read the wall clock, pass time.Now.
func newDNSZones(t testing.TB, opts emulator.Options, sign bool) *dnsZones {
	t.Helper()
	ctx := context.Background()
	env := newRoute53Env(t, opts)
	z := &dnsZones{env: env, kms: env.KMS(), r53: env.R53()}
	z.parentID = zoneID(createZone(t, z.r53, dnsParent).HostedZone)
	z.childID = zoneID(createZone(t, z.r53, dnsChild).HostedZone)
	alias := func(name string, typ types.RRType, zone, target string) types.ResourceRecordSet {
		return types.ResourceRecordSet{Name: aws.String(name), Type: typ,
			AliasTarget: &types.AliasTarget{HostedZoneId: aws.String(zone), DNSName: aws.String(target)}}
	}
	soa := func(zone string) types.Change {
		return upsert(rrset(zone, types.RRTypeSoa, 900, "ns1.example.test. hostmaster.example.test. 1 7200 900 1209600 86400"))
	}
	need(z.r53.ChangeResourceRecordSets(ctx, changeBatch(aws.String(z.parentID),
		soa(dnsParent),
		upsert(rrset(dnsParent, types.RRTypeNs, 172800, "ns1.example.test.")),
		create(aRecord("ns1.example.test.", 3600, "192.0.2.53")),
		create(aRecord("www.example.test.", 300, "192.0.2.1")),
		create(rrset("www.example.test.", types.RRTypeAaaa, 300, "2001:db8::1")),
		create(rrset("cname.example.test.", types.RRTypeCname, 300, "www.example.test.")),
		create(rrset("ext.example.test.", types.RRTypeCname, 300, "target.example.org.")),
		create(rrset("child.example.test.", types.RRTypeCname, 300, "www.sub.example.test.")),
		create(rrset("glue.example.test.", types.RRTypeCname, 300, "ns1.sub.example.test.")),
		create(rrset(dnsParent, types.RRTypeMx, 300, "10 mail.example.test.")),
		create(aRecord("mail.example.test.", 300, "192.0.2.25")),
		create(rrset("txt.example.test.", types.RRTypeTxt, 300, `"v=spf1 -all"`, `"hello world"`)),
		create(rrset("_sip._tcp.example.test.", types.RRTypeSrv, 300, "10 5 5060 sip.example.test.")),
		create(rrset(dnsParent, types.RRTypeCaa, 300, `0 issue "letsencrypt.org"`)),
		create(aRecord("*.wild.example.test.", 60, "192.0.2.80")),
		create(rrset("big.example.test.", types.RRTypeTxt, 300, dnsBigTXT...)),
		create(rrset("sub.example.test.", types.RRTypeNs, 172800, "ns1.sub.example.test.", "ns2.sub.example.test.")),
		create(aRecord("ns1.sub.example.test.", 172800, "192.0.2.101")),
		create(rrset("ns2.sub.example.test.", types.RRTypeAaaa, 172800, "2001:db8::102")),
		create(rrset("sub.example.test.", types.RRTypeDs, 3600, dnsChildDS)),
		create(rrset("nods.example.test.", types.RRTypeNs, 172800, "ns1.example.test.")),
		create(rrset(dnsChild, types.RRTypeNs, 172800, "ns1.example.test.")),
	)))(t)
	need(z.r53.ChangeResourceRecordSets(ctx, changeBatch(aws.String(z.parentID),
		create(alias("alias.example.test.", types.RRTypeA, z.parentID, "www.example.test.")),
	)))(t)
	need(z.r53.ChangeResourceRecordSets(ctx, changeBatch(aws.String(z.childID),
		soa(dnsChild),
		upsert(rrset(dnsChild, types.RRTypeNs, 172800, "ns1.example.test.")),
		create(aRecord("www.hosted.example.test.", 300, "192.0.2.200")),
	)))(t)
	if sign {
		z.keyARN = aws.ToString(need(z.kms.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistP256,
			KeyUsage: kmstypes.KeyUsageTypeSignVerify, Policy: aws.String(dnssecPolicy)}))(t).KeyMetadata.Arn)
		need(createKSK(z.r53, z.parentID, "ksk_dns", z.keyARN, "ACTIVE"))(t)
		need(z.r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: aws.String(z.parentID)}))(t)
		out := need(z.r53.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: aws.String(z.parentID)}))(t)
		if len(out.KeySigningKeys) != 1 || aws.ToString(out.Status.ServeSignature) != "SIGNING" {
			t.Fatalf("GetDNSSEC = %s with %d KSKs, want SIGNING with 1", aws.ToString(out.Status.ServeSignature), len(out.KeySigningKeys))
		}
		z.ds = aws.ToString(out.KeySigningKeys[0].DSRecord)
	}
	z.addr = serveDNSTest(t, env.Server.DNSHandler())
	return z
}

// query sends a query over network and returns the answer.
func (z *dnsZones) query(t testing.TB, network, name string, qtype uint16, edns, do bool) *mdns.Msg {
	t.Helper()
	return exchangeDNS(t, z.addr, network, dnsQuery(name, qtype, edns, do))
}

// keyNames names a signed zone's keys by key tag ("ZSK", "KSK"), so that RRSIG and DNSKEY
// records, whose keys are new in every run, read the same in every run.
type keyNames map[uint16]string

// keyNames reads the DNSKEY RRset of zone and names its keys by flags.
func (z *dnsZones) keyNames(t testing.TB, zone string) keyNames {
	t.Helper()
	names := keyNames{}
	for _, rr := range z.query(t, "tcp", zone, mdns.TypeDNSKEY, true, false).Answer {
		if k, ok := rr.(*mdns.DNSKEY); ok {
			names[k.KeyTag()] = map[uint16]string{256: "ZSK", 257: "KSK"}[k.Flags]
		}
	}
	return names
}

// text is the zone-file line of rr, single-spaced, with the run-dependent values replaced: an
// RRSIG's key tag by the key's name and its signature by SIG, a DNSKEY's public key by its name.
// The expiration and inception stay: with the harness's fixed clock they are the same in every
// run.
func (k keyNames) text(rr mdns.RR) string {
	name := func(tag uint16) string {
		if n := k[tag]; n != "" {
			return n
		}
		return fmt.Sprint(tag)
	}
	h := rr.Header()
	switch v := rr.(type) {
	case *mdns.RRSIG:
		return fmt.Sprintf("%s %d IN RRSIG %s %d %d %d %s %s %s %s SIG", h.Name, h.Ttl, mdns.TypeToString[v.TypeCovered],
			v.Algorithm, v.Labels, v.OrigTtl, mdns.TimeToString(v.Expiration), mdns.TimeToString(v.Inception), name(v.KeyTag), v.SignerName)
	case *mdns.DNSKEY:
		return fmt.Sprintf("%s %d IN DNSKEY %d %d %d %s", h.Name, h.Ttl, v.Flags, v.Protocol, v.Algorithm, name(v.KeyTag()))
	}
	return strings.Join(strings.Fields(rr.String()), " ")
}

// section is the text of a message section: one line per record, sorted (the order of records
// in a section carries no meaning), the OPT pseudo-record left out.
func (k keyNames) section(rrs []mdns.RR) string {
	var lines []string
	for _, rr := range rrs {
		if rr.Header().Rrtype != mdns.TypeOPT {
			lines = append(lines, k.text(rr))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// zoneText normalises expected zone-file text the way section normalises records: one record a
// line, single-spaced, sorted; blank lines dropped.
func zoneText(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines = append(lines, strings.Join(f, " "))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// dnsCase is a query and the answer it must get: the rcode, the AA flag and the three sections
// as zone-file text (normalised by keyNames.text).
type dnsCase struct {
	name              string
	qname             string
	qtype             uint16
	rcode             int
	aa                bool
	answer, ns, extra string
}

// answerText is a message as the test compares it.
func (k keyNames) answerText(m *mdns.Msg) string {
	return fmt.Sprintf("%s aa=%v tc=%v\n;; ANSWER\n%s\n;; AUTHORITY\n%s\n;; ADDITIONAL\n%s", mdns.RcodeToString[m.Rcode], m.Authoritative,
		m.Truncated, k.section(m.Answer), k.section(m.Ns), k.section(m.Extra))
}

func (c dnsCase) text() string {
	return fmt.Sprintf("%s aa=%v tc=false\n;; ANSWER\n%s\n;; AUTHORITY\n%s\n;; ADDITIONAL\n%s", mdns.RcodeToString[c.rcode], c.aa,
		zoneText(c.answer), zoneText(c.ns), zoneText(c.extra))
}

// run sends the case's query (EDNS0, DO as given) over UDP and compares the answer.
func (c dnsCase) run(t *testing.T, z *dnsZones, keys keyNames, do bool) *mdns.Msg {
	t.Helper()
	r := z.query(t, "udp", c.qname, c.qtype, true, do)
	if got, want := keys.answerText(r), c.text(); got != want {
		t.Errorf("%s %s DO=%v:\n--- got\n%s\n--- want\n%s", c.qname, mdns.TypeToString[c.qtype], do, got, want)
	}
	return r
}

// The SOA of the test zones, as the authority section of negative answers carries it.
const (
	parentSOA = "example.test. 900 IN SOA ns1.example.test. hostmaster.example.test. 1 7200 900 1209600 86400"
	childSOA  = "hosted.example.test. 900 IN SOA ns1.example.test. hostmaster.example.test. 1 7200 900 1209600 86400"
	subGlue   = `ns1.sub.example.test. 172800 IN A 192.0.2.101
		ns2.sub.example.test. 172800 IN AAAA 2001:db8::102`
	subNS = `sub.example.test. 172800 IN NS ns1.sub.example.test.
		sub.example.test. 172800 IN NS ns2.sub.example.test.`
)

// plainCases are answers without DNSSEC: every query of a zone that does not sign, and every
// query without the DO bit.
var plainCases = []dnsCase{
	{name: "apex SOA", qname: "example.test.", qtype: mdns.TypeSOA, aa: true, answer: parentSOA},
	{name: "apex NS", qname: "example.test.", qtype: mdns.TypeNS, aa: true, answer: "example.test. 172800 IN NS ns1.example.test."},
	{name: "A", qname: "www.example.test.", qtype: mdns.TypeA, aa: true, answer: "www.example.test. 300 IN A 192.0.2.1"},
	{name: "A, query name in mixed case", qname: "WwW.ExAmPlE.tEsT.", qtype: mdns.TypeA, aa: true, answer: "www.example.test. 300 IN A 192.0.2.1"},
	{name: "AAAA", qname: "www.example.test.", qtype: mdns.TypeAAAA, aa: true, answer: "www.example.test. 300 IN AAAA 2001:db8::1"},
	{name: "CNAME to a name in the zone, chased", qname: "cname.example.test.", qtype: mdns.TypeA, aa: true, answer: `
		cname.example.test. 300 IN CNAME www.example.test.
		www.example.test. 300 IN A 192.0.2.1`},
	{name: "CNAME queried", qname: "cname.example.test.", qtype: mdns.TypeCNAME, aa: true, answer: "cname.example.test. 300 IN CNAME www.example.test."},
	{name: "CNAME to a name outside the zone, left to the resolver", qname: "ext.example.test.", qtype: mdns.TypeA, aa: true,
		answer: "ext.example.test. 300 IN CNAME target.example.org."},
	{name: "CNAME to a name in a delegated child, left to the resolver", qname: "child.example.test.", qtype: mdns.TypeA, aa: true,
		answer: "child.example.test. 300 IN CNAME www.sub.example.test."},
	{name: "CNAME to glue, left to the resolver", qname: "glue.example.test.", qtype: mdns.TypeA, aa: true,
		answer: "glue.example.test. 300 IN CNAME ns1.sub.example.test."},
	{name: "MX", qname: "example.test.", qtype: mdns.TypeMX, aa: true, answer: "example.test. 300 IN MX 10 mail.example.test."},
	{name: "TXT", qname: "txt.example.test.", qtype: mdns.TypeTXT, aa: true, answer: `
		txt.example.test. 300 IN TXT "v=spf1 -all"
		txt.example.test. 300 IN TXT "hello world"`},
	{name: "SRV", qname: "_sip._tcp.example.test.", qtype: mdns.TypeSRV, aa: true, answer: "_sip._tcp.example.test. 300 IN SRV 10 5 5060 sip.example.test."},
	{name: "CAA", qname: "example.test.", qtype: mdns.TypeCAA, aa: true, answer: `example.test. 300 IN CAA 0 issue "letsencrypt.org"`},
	{name: "wildcard", qname: "a.wild.example.test.", qtype: mdns.TypeA, aa: true, answer: "a.wild.example.test. 60 IN A 192.0.2.80"},
	{name: "wildcard, two labels below", qname: "b.a.wild.example.test.", qtype: mdns.TypeA, aa: true, answer: "b.a.wild.example.test. 60 IN A 192.0.2.80"},
	{name: "wildcard of another type: NODATA", qname: "a.wild.example.test.", qtype: mdns.TypeAAAA, aa: true, ns: parentSOA},
	{name: "alias to an A record of the zone", qname: "alias.example.test.", qtype: mdns.TypeA, aa: true, answer: "alias.example.test. 300 IN A 192.0.2.1"},
	{name: "alias of another type: NODATA", qname: "alias.example.test.", qtype: mdns.TypeAAAA, aa: true, ns: parentSOA},
	{name: "NXDOMAIN", qname: "nx.example.test.", qtype: mdns.TypeA, rcode: mdns.RcodeNameError, aa: true, ns: parentSOA},
	{name: "NXDOMAIN below a name that exists", qname: "nx.www.example.test.", qtype: mdns.TypeA, rcode: mdns.RcodeNameError, aa: true, ns: parentSOA},
	{name: "NODATA", qname: "www.example.test.", qtype: mdns.TypeMX, aa: true, ns: parentSOA},
	{name: "empty non-terminal: NODATA", qname: "_tcp.example.test.", qtype: mdns.TypeSRV, aa: true, ns: parentSOA},
	{name: "empty non-terminal above a wildcard: NODATA", qname: "wild.example.test.", qtype: mdns.TypeA, aa: true, ns: parentSOA},
	{name: "referral at the delegation", qname: "sub.example.test.", qtype: mdns.TypeA, ns: subNS, extra: subGlue},
	{name: "referral below the delegation", qname: "www.sub.example.test.", qtype: mdns.TypeA, ns: subNS, extra: subGlue},
	{name: "referral for the glue's own name", qname: "ns1.sub.example.test.", qtype: mdns.TypeA, ns: subNS, extra: subGlue},
	{name: "NS at the delegation: a referral", qname: "sub.example.test.", qtype: mdns.TypeNS, ns: subNS, extra: subGlue},
	{name: "referral without DS, the name server in the parent", qname: "www.nods.example.test.", qtype: mdns.TypeA,
		ns: "nods.example.test. 172800 IN NS ns1.example.test.", extra: "ns1.example.test. 3600 IN A 192.0.2.53"},
	{name: "DS at the delegation, from the parent", qname: "sub.example.test.", qtype: mdns.TypeDS, aa: true,
		answer: "sub.example.test. 3600 IN DS " + dnsChildDS},
	{name: "hosted child zone", qname: "www.hosted.example.test.", qtype: mdns.TypeA, aa: true, answer: "www.hosted.example.test. 300 IN A 192.0.2.200"},
	{name: "hosted child zone apex", qname: "hosted.example.test.", qtype: mdns.TypeSOA, aa: true, answer: childSOA},
	{name: "hosted child zone NXDOMAIN", qname: "nx.hosted.example.test.", qtype: mdns.TypeA, rcode: mdns.RcodeNameError, aa: true, ns: childSOA},
	{name: "DS at the hosted child's apex, from the hosted parent", qname: "hosted.example.test.", qtype: mdns.TypeDS, aa: true, ns: parentSOA},
	{name: "outside every zone", qname: "www.example.org.", qtype: mdns.TypeA, rcode: mdns.RcodeRefused},
	{name: "the parent of a zone", qname: "test.", qtype: mdns.TypeNS, rcode: mdns.RcodeRefused},
}

// TestDNSAnswers asks every plain case of a zone that does not sign, with and without the DO
// bit (a zone that does not sign has no DNSSEC records to give), and of a signing zone without
// the DO bit.
func TestDNSAnswers(t *testing.T) {
	t.Parallel()
	for _, run := range []struct {
		name     string
		sign, do bool
	}{
		{"not signing", false, false},
		{"not signing, DO", false, true},
		{"signing, no DO", true, false},
	} {
		t.Run(run.name, func(t *testing.T) {
			t.Parallel()
			z := newDNSZones(t, emulator.Options{}, run.sign)
			for _, c := range plainCases {
				t.Run(c.name, func(t *testing.T) { c.run(t, z, nil, run.do) })
			}
		})
	}
}

// TestDNSEDNS0 checks the OPT record of answers: none without EDNS0, and with it the DO bit
// echoed as sent.
func TestDNSEDNS0(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, true)
	for _, c := range []struct {
		edns, do bool
	}{{false, false}, {true, false}, {true, true}} {
		r := z.query(t, "udp", "www.example.test.", mdns.TypeA, c.edns, c.do)
		opt := r.IsEdns0()
		switch {
		case !c.edns && opt != nil:
			t.Errorf("query without EDNS0: answer has OPT %v", opt)
		case c.edns && opt == nil:
			t.Errorf("query with EDNS0 (DO=%v): answer has no OPT", c.do)
		case c.edns && (opt.Do() != c.do || opt.Version() != 0 || opt.UDPSize() < 1232):
			t.Errorf("query with EDNS0 (DO=%v): answer OPT DO=%v version %d size %d", c.do, opt.Do(), opt.Version(), opt.UDPSize())
		}
		if r.Rcode != mdns.RcodeSuccess || len(r.Answer) == 0 {
			t.Errorf("EDNS0=%v DO=%v: %s with %d answers", c.edns, c.do, mdns.RcodeToString[r.Rcode], len(r.Answer))
		}
	}
}

// TestDNSClassNotIN checks that queries of classes other than IN, which no hosted zone holds, are
// refused.
func TestDNSClassNotIN(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, false)
	for _, class := range []uint16{mdns.ClassCHAOS, mdns.ClassHESIOD} {
		m := dnsQuery("www.example.test.", mdns.TypeA, true, false)
		m.Question[0].Qclass = class
		if r := exchangeDNS(t, z.addr, "udp", m); r.Rcode != mdns.RcodeRefused || r.Authoritative || len(r.Answer) != 0 {
			t.Errorf("class %s: %s aa=%v answer %v, want REFUSED", mdns.ClassToString[class], mdns.RcodeToString[r.Rcode], r.Authoritative, r.Answer)
		}
	}
}

// TestDNSTruncation checks that an answer larger than 512 bytes is truncated over UDP without
// EDNS0 (TC set, so the client retries over TCP) and given whole over TCP or with EDNS0.
func TestDNSTruncation(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, false)
	var want []string
	for _, v := range dnsBigTXT {
		want = append(want, "big.example.test. 300 IN TXT "+v)
	}
	full := zoneText(strings.Join(want, "\n"))

	udp := z.query(t, "udp", "big.example.test.", mdns.TypeTXT, false, false)
	if !udp.Truncated || len(udp.Answer) >= len(dnsBigTXT) {
		t.Errorf("UDP without EDNS0: TC=%v with %d of %d records, want TC and fewer records", udp.Truncated, len(udp.Answer), len(dnsBigTXT))
	}
	udp.Compress = true // as sent
	if n, err := udp.Pack(); err != nil || len(n) > mdns.MinMsgSize {
		t.Errorf("UDP answer is %d bytes (%v), want at most %d", len(n), err, mdns.MinMsgSize)
	}
	for name, r := range map[string]*mdns.Msg{
		"TCP without EDNS0": z.query(t, "tcp", "big.example.test.", mdns.TypeTXT, false, false),
		"UDP with EDNS0":    z.query(t, "udp", "big.example.test.", mdns.TypeTXT, true, false),
	} {
		if got := keyNames(nil).section(r.Answer); r.Truncated || !r.Authoritative || got != full {
			t.Errorf("%s: TC=%v AA=%v answer\n%s\nwant\n%s", name, r.Truncated, r.Authoritative, got, full)
		}
	}
}

// transferZone transfers zone by AXFR over TCP and returns its records in the order received.
func transferZone(t testing.TB, addr, zone string) []mdns.RR {
	t.Helper()
	m := new(mdns.Msg)
	m.SetAxfr(zone)
	tr := &mdns.Transfer{DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second}
	envs, err := tr.In(m, addr)
	if err != nil {
		t.Fatalf("AXFR %s: %v", zone, err)
	}
	var out []mdns.RR
	for e := range envs {
		if e.Error != nil {
			t.Fatalf("AXFR %s: %v", zone, e.Error)
		}
		out = append(out, e.RR...)
	}
	return out
}

// TestDNSZoneTransfer transfers the test zones by AXFR over TCP: the SOA first and last, every
// authoritative record set between (the in-zone alias as the records of its target), the
// delegations and their glue. Over UDP, AXFR is refused.
func TestDNSZoneTransfer(t *testing.T) {
	t.Parallel()
	z := newDNSZones(t, emulator.Options{}, false)
	var bigTXT strings.Builder
	for _, v := range dnsBigTXT {
		bigTXT.WriteString("big.example.test. 300 IN TXT " + v + "\n")
	}
	for _, c := range []struct{ zone, want string }{
		{dnsParent, parentSOA + "\n" + parentSOA + `
			example.test. 172800 IN NS ns1.example.test.
			example.test. 300 IN MX 10 mail.example.test.
			example.test. 300 IN CAA 0 issue "letsencrypt.org"
			_sip._tcp.example.test. 300 IN SRV 10 5 5060 sip.example.test.
			alias.example.test. 300 IN A 192.0.2.1
			cname.example.test. 300 IN CNAME www.example.test.
			child.example.test. 300 IN CNAME www.sub.example.test.
			glue.example.test. 300 IN CNAME ns1.sub.example.test.
			ext.example.test. 300 IN CNAME target.example.org.
			hosted.example.test. 172800 IN NS ns1.example.test.
			mail.example.test. 300 IN A 192.0.2.25
			nods.example.test. 172800 IN NS ns1.example.test.
			ns1.example.test. 3600 IN A 192.0.2.53
			` + subNS + `
			sub.example.test. 3600 IN DS ` + dnsChildDS + `
			` + subGlue + `
			txt.example.test. 300 IN TXT "v=spf1 -all"
			txt.example.test. 300 IN TXT "hello world"
			*.wild.example.test. 60 IN A 192.0.2.80
			www.example.test. 300 IN A 192.0.2.1
			www.example.test. 300 IN AAAA 2001:db8::1
			` + bigTXT.String()},
		{dnsChild, childSOA + "\n" + childSOA + `
			hosted.example.test. 172800 IN NS ns1.example.test.
			www.hosted.example.test. 300 IN A 192.0.2.200`},
	} {
		rrs := transferZone(t, z.addr, c.zone)
		if len(rrs) < 2 || rrs[0].Header().Rrtype != mdns.TypeSOA || rrs[len(rrs)-1].Header().Rrtype != mdns.TypeSOA {
			t.Errorf("AXFR %s does not begin and end with the SOA:\n%v", c.zone, rrs)
		}
		if got, want := keyNames(nil).section(rrs), zoneText(c.want); got != want {
			t.Errorf("AXFR %s:\n--- got\n%s\n--- want\n%s", c.zone, got, want)
		}
	}

	m := new(mdns.Msg)
	m.SetAxfr(dnsParent)
	if r := exchangeDNS(t, z.addr, "udp", m); r.Rcode != mdns.RcodeRefused || len(r.Answer) != 0 {
		t.Errorf("AXFR over UDP: %s with %d records, want REFUSED", mdns.RcodeToString[r.Rcode], len(r.Answer))
	}
}

// packWriter is a ResponseWriter of a UDP client that packs the answer, as the server would
// before sending it, and drops it.
type packWriter struct{ mdns.ResponseWriter }

func (packWriter) RemoteAddr() net.Addr { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5353} }

func (packWriter) WriteMsg(m *mdns.Msg) error {
	_, err := m.Pack()
	return err
}

// BenchmarkDNSAnswer measures the DNS handler, without sockets: an A record of a zone that does
// not sign, asked without EDNS0, and of a signing zone, asked with the DO bit (the answer with
// its RRSIG, from the signature cache). scripts/dnsperf.sh measures the same over UDP.
func BenchmarkDNSAnswer(b *testing.B) {
	for _, c := range []struct {
		name string
		sign bool
	}{{"unsigned", false}, {"signed DO", true}} {
		b.Run(c.name, func(b *testing.B) {
			h := newDNSZones(b, emulator.Options{}, c.sign).env.Server.DNSHandler()
			q := dnsQuery("www.example.test.", mdns.TypeA, c.sign, c.sign)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeDNS(packWriter{}, q)
			}
		})
	}
}
