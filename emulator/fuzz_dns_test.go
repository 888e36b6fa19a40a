package emulator_test

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
)

// fuzzWriter is a mdns.ResponseWriter that keeps the answer, over UDP or TCP.
type fuzzWriter struct {
	network string
	msg     *mdns.Msg
}

func (w *fuzzWriter) LocalAddr() net.Addr {
	return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1053}
}
func (w *fuzzWriter) RemoteAddr() net.Addr {
	if w.network == "tcp" {
		return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
	}
	return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (w *fuzzWriter) WriteMsg(m *mdns.Msg) error  { w.msg = m; return nil }
func (w *fuzzWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *fuzzWriter) Close() error                { return nil }
func (w *fuzzWriter) TsigStatus() error           { return nil }
func (w *fuzzWriter) TsigTimersOnly(bool)         {}
func (w *fuzzWriter) Hijack()                     {}

var (
	fuzzDNSOnce sync.Once
	fuzzDNS     mdns.Handler
)

// fuzzDNSHandler is one signing zone with records of many kinds, built once per process.
func fuzzDNSHandler(t testing.TB) mdns.Handler {
	fuzzDNSOnce.Do(func() {
		srv, err := emulator.New(emulator.Options{})
		if err != nil {
			t.Fatal(err)
		}
		hs := client.Transport(srv)
		cfg := client.AWSConfig("http://kms53.invalid", client.WithHTTPClient(&http.Client{Transport: hs}))
		ctx := context.Background()
		r53 := route53.NewFromConfig(cfg)
		zone, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.test"), CallerReference: aws.String("f")})
		if err != nil {
			t.Fatal(err)
		}
		rr := func(name string, typ types.RRType, vals ...string) types.Change {
			var rrs []types.ResourceRecord
			for _, v := range vals {
				rrs = append(rrs, types.ResourceRecord{Value: aws.String(v)})
			}
			return types.Change{Action: types.ChangeActionUpsert, ResourceRecordSet: &types.ResourceRecordSet{
				Name: aws.String(name), Type: typ, TTL: aws.Int64(300), ResourceRecords: rrs}}
		}
		_, err = r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone.HostedZone.Id,
			ChangeBatch: &types.ChangeBatch{Changes: []types.Change{
				rr("www.example.test", types.RRTypeA, "192.0.2.1"), rr("*.wild.example.test", types.RRTypeTxt, `"w"`),
				rr("c.example.test", types.RRTypeCname, "www.example.test"), rr("loop.example.test", types.RRTypeCname, "loop.example.test"),
				rr("sub.example.test", types.RRTypeNs, "ns.sub.example.test"), rr("ns.sub.example.test", types.RRTypeA, "192.0.2.53"),
				rr("a.b.c.deep.example.test", types.RRTypeMx, "10 www.example.test")}}})
		if err != nil {
			t.Fatal(err)
		}
		key, err := client.NewDNSSECKey(ctx, kms.NewFromConfig(cfg), client.DNSSECKeyOptions{Account: "111122223333"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r53.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{HostedZoneId: zone.HostedZone.Id, KeyManagementServiceArn: key.Arn,
			Name: aws.String("ksk_fuzz"), Status: aws.String("ACTIVE"), CallerReference: aws.String("k")}); err != nil {
			t.Fatal(err)
		}
		if _, err := r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: zone.HostedZone.Id}); err != nil {
			t.Fatal(err)
		}
		fuzzDNS = srv.DNSHandler()
	})
	if fuzzDNS == nil {
		t.Fatal("the fuzz zone could not be set up (see the first failure)")
	}
	return fuzzDNS
}

// FuzzDNS asks the DNS handler arbitrary questions (names, types, classes, DO, UDP or TCP):
// no panic, one answer per query, and a signed answer that still packs into a message.
func FuzzDNS(f *testing.F) {
	for _, q := range []struct {
		name  string
		qtype uint16
	}{{"www.example.test.", mdns.TypeA}, {"nope.example.test.", mdns.TypeA}, {"x.wild.example.test.", mdns.TypeTXT},
		{"c.example.test.", mdns.TypeA}, {"loop.example.test.", mdns.TypeA}, {"x.sub.example.test.", mdns.TypeA},
		{"sub.example.test.", mdns.TypeDS}, {"b.c.deep.example.test.", mdns.TypeMX}, {"example.test.", mdns.TypeDNSKEY},
		{"example.test.", mdns.TypeNSEC}, {"example.test.", mdns.TypeAXFR}, {"\\000.example.test.", mdns.TypeA},
		{"*.example.test.", mdns.TypeANY}, {"other.test.", mdns.TypeA}, {".", mdns.TypeNS}} {
		f.Add(q.name, q.qtype, uint16(mdns.ClassINET), true, false)
	}
	f.Fuzz(func(t *testing.T, name string, qtype, class uint16, do, tcp bool) {
		if _, ok := mdns.IsDomainName(name); !ok {
			return
		}
		h := fuzzDNSHandler(t)
		m := new(mdns.Msg)
		m.SetQuestion(mdns.Fqdn(name), qtype)
		m.Question[0].Qclass = class
		if do {
			m.SetEdns0(4096, true)
		}
		if _, err := m.Pack(); err != nil {
			return // a query no client could send: names on the wire are always valid
		}
		w := &fuzzWriter{network: "udp"}
		if tcp {
			w.network = "tcp"
		}
		h.ServeDNS(w, m)
		if qtype == mdns.TypeAXFR || qtype == mdns.TypeIXFR {
			return // answered through a transfer
		}
		if w.msg == nil {
			t.Fatalf("no answer to %s %s", name, mdns.TypeToString[qtype])
		}
		if _, err := w.msg.Pack(); err != nil {
			t.Fatalf("the answer to %s %s does not pack: %v", name, mdns.TypeToString[qtype], err)
		}
	})
}
