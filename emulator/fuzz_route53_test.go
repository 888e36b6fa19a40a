package emulator_test

// FuzzRoute53 sends arbitrary methods, paths (with query strings) and bodies to the Route 53 API
// and checks the invariants every answer must keep: no panic, no 5xx, Content-Type text/xml, an
// XML body, and for errors Route 53's envelope with a non-empty Code.
//
//	go test -run '^$' -fuzz FuzzRoute53 -fuzztime 3m ./emulator/
//
// Every input runs against a fresh emulator holding the same fixture zone (the identifier source
// is seeded), so a failing input reproduces on its own.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kms53/kms53/emulator"
)

// r53Fixture is an emulator with the fixture zone example.com. and the ids it got.
type r53Fixture struct {
	srv    *emulator.Server
	zone   string // the zone's id, without /hostedzone/
	change string // the id of the fixture batch's change, without /change/
}

const r53FuzzNS = `xmlns="https://route53.amazonaws.com/doc/2013-04-01/"`

// r53FuzzChange is a ChangeResourceRecordSetsRequest with the given changes.
func r53FuzzChange(changes ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest ` + r53FuzzNS + `><ChangeBatch><Comment>fuzz</Comment><Changes>` +
		strings.Join(changes, "") + `</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`
}

// r53FuzzRR is a Change element of a record set with a TTL and values; extra goes in the
// ResourceRecordSet before the TTL (SetIdentifier, Weight...).
func r53FuzzRR(action, name, typ, extra string, values ...string) string {
	var rr strings.Builder
	for _, v := range values {
		fmt.Fprintf(&rr, "<ResourceRecord><Value>%s</Value></ResourceRecord>", r53XMLEscape(v))
	}
	return fmt.Sprintf(`<Change><Action>%s</Action><ResourceRecordSet><Name>%s</Name><Type>%s</Type>%s<TTL>300</TTL><ResourceRecords>%s</ResourceRecords></ResourceRecordSet></Change>`,
		action, name, typ, extra, rr.String())
}

// r53FuzzAlias is a Change element of an alias record set.
func r53FuzzAlias(action, name, typ, zone, target string) string {
	return fmt.Sprintf(`<Change><Action>%s</Action><ResourceRecordSet><Name>%s</Name><Type>%s</Type><AliasTarget><HostedZoneId>%s</HostedZoneId><DNSName>%s</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget></ResourceRecordSet></Change>`,
		action, name, typ, zone, target)
}

func r53XMLEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// newR53Fixture starts a fresh emulator and creates the fixture zone and records in it.
func newR53Fixture(tb testing.TB) *r53Fixture {
	tb.Helper()
	srv, err := emulator.New(emulator.Options{
		Clock: func() time.Time { return t0 },
		Rand:  rand.NewChaCha8([32]byte{'r', '5', '3', '-', 'f', 'u', 'z', 'z'}),
	})
	if err != nil {
		tb.Fatal(err)
	}
	fx := &r53Fixture{srv: srv}
	rec := r53Do(srv, http.MethodPost, "/2013-04-01/hostedzone",
		`<CreateHostedZoneRequest `+r53FuzzNS+`><Name>example.com</Name><CallerReference>fuzz</CallerReference></CreateHostedZoneRequest>`)
	var created struct {
		ID string `xml:"HostedZone>Id"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &created); err != nil || rec.Code != http.StatusCreated {
		tb.Fatalf("fixture CreateHostedZone: %d %s", rec.Code, rec.Body)
	}
	fx.zone = strings.TrimPrefix(created.ID, "/hostedzone/")
	rec = r53Do(srv, http.MethodPost, "/2013-04-01/hostedzone/"+fx.zone+"/rrset", r53FuzzChange(
		r53FuzzRR("CREATE", "www.example.com.", "A", "", "192.0.2.1"),
		r53FuzzRR("CREATE", "*.example.com.", "TXT", "", `"wild"`),
		r53FuzzRR("CREATE", "api.example.com.", "A", "<SetIdentifier>blue</SetIdentifier><Weight>10</Weight>", "192.0.2.2"),
		r53FuzzRR("CREATE", "api.example.com.", "A", "<SetIdentifier>green</SetIdentifier><Weight>20</Weight>", "192.0.2.3"),
		r53FuzzRR("CREATE", "mail.example.com.", "CNAME", "", "mx.example.net."),
		r53FuzzAlias("CREATE", "example.com.", "A", fx.zone, "www.example.com."),
	))
	var changed struct {
		ID string `xml:"ChangeInfo>Id"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &changed); err != nil || rec.Code != http.StatusOK {
		tb.Fatalf("fixture ChangeResourceRecordSets: %d %s", rec.Code, rec.Body)
	}
	fx.change = strings.TrimPrefix(changed.ID, "/change/")
	return fx
}

// r53Do calls the handler in process, unsigned (the default account's root).
func r53Do(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/xml")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var r53FuzzMethod = regexp.MustCompile(`^[A-Za-z]{1,16}$`)

func FuzzRoute53(f *testing.F) {
	fx := newR53Fixture(f)
	zone, change := fx.zone, fx.change
	rrset := "hostedzone/" + zone + "/rrset"
	seeds := []struct{ method, path, body string }{
		// Every route, valid.
		{"POST", "hostedzone", `<CreateHostedZoneRequest ` + r53FuzzNS + `><Name>example.org.</Name><CallerReference>seed-1</CallerReference><HostedZoneConfig><Comment>c</Comment><PrivateZone>false</PrivateZone></HostedZoneConfig></CreateHostedZoneRequest>`},
		{"POST", "hostedzone", `<CreateHostedZoneRequest ` + r53FuzzNS + `><Name>internal.</Name><VPC><VPCRegion>eu-west-1</VPCRegion><VPCId>vpc-0123456789abcdef0</VPCId></VPC><CallerReference>seed-2</CallerReference></CreateHostedZoneRequest>`},
		{"GET", "hostedzone", ""},
		{"GET", "hostedzone?maxitems=1&marker=" + zone, ""},
		{"GET", "hostedzone?hostedzonetype=PrivateHostedZone", ""},
		{"GET", "hostedzonesbyname?dnsname=example.com&hostedzoneid=" + zone + "&maxitems=1", ""},
		{"GET", "hostedzonecount", ""},
		{"GET", "hostedzone/" + zone, ""},
		{"POST", "hostedzone/" + zone, `<UpdateHostedZoneCommentRequest ` + r53FuzzNS + `><Comment>new</Comment></UpdateHostedZoneCommentRequest>`},
		{"DELETE", "hostedzone/" + zone, ""},
		{"POST", rrset, r53FuzzChange(r53FuzzRR("UPSERT", "www.example.com.", "A", "", "192.0.2.9"), r53FuzzRR("DELETE", "mail.example.com.", "CNAME", "", "mx.example.net."))},
		{"POST", rrset + "/", r53FuzzChange(r53FuzzRR("CREATE", "_sip._tcp.example.com.", "SRV", "", "1 10 5060 sip.example.com."))},
		{"POST", rrset, r53FuzzChange(r53FuzzRR("CREATE", "ds.example.com.", "DS", "", "12345 13 2 "+strings.Repeat("ab", 32)))},
		{"POST", rrset, r53FuzzChange(r53FuzzRR("CREATE", "h.example.com.", "HTTPS", "", "1 . alpn=h2"), r53FuzzRR("CREATE", "n.example.com.", "NAPTR", "", `100 50 "s" "SIP+D2U" "" _sip._udp.example.com.`))},
		{"POST", rrset, r53FuzzChange(r53FuzzAlias("CREATE", "cdn.example.com.", "A", "Z2FDTNDATAQYW2", "d111111abcdef8.cloudfront.net."))},
		{"POST", rrset, r53FuzzChange(r53FuzzRR("DELETE", "api.example.com.", "A", "<SetIdentifier>blue</SetIdentifier><Weight>10</Weight>", "192.0.2.2"))},
		{"GET", rrset, ""},
		{"GET", rrset + "?name=api.example.com.&type=A&identifier=green&maxitems=1", ""},
		{"GET", rrset + `?name=%5C052.example.com.&type=TXT`, ""},
		{"GET", "change/" + change, ""},
		{"GET", "change/%2Fchange%2F" + change, ""},
		// Malformed.
		{"POST", rrset, r53FuzzChange(r53FuzzRR("CREATE", "x.example.com.", "A", "", "192.0.2.1"))[:120]},
		{"POST", rrset, `<ChangeBatch ` + r53FuzzNS + `><Changes/></ChangeBatch>`},
		{"POST", rrset, r53FuzzChange(`<Change><Action>CREATE</Action><ResourceRecordSet><Name>x.example.com.</Name><Type>A</Type><TTL>abc</TTL></ResourceRecordSet></Change>`)},
		{"POST", rrset, r53FuzzChange(`<Change><Action>CREATE</Action><ResourceRecordSet><Name>x.example.com.</Name><Type>A</Type><Bogus/></ResourceRecordSet></Change>`)},
		{"POST", rrset, r53FuzzChange(r53FuzzRR("CREATE", "x.example.com.", "MX", "", "\n10 a.example.com.\n$INCLUDE /etc/passwd"))},
		{"POST", rrset, r53FuzzChange(r53FuzzRR("CREATE", `\000.example.com.`, "A", "<Weight>99999999999999999999</Weight>", "1.2.3.4"))},
		{"POST", rrset, strings.Repeat("<ChangeResourceRecordSetsRequest>", 40)},
		{"POST", rrset, `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ChangeResourceRecordSetsRequest>&a;</ChangeResourceRecordSetsRequest>`},
		{"POST", "hostedzone/" + strings.Repeat("Z", 33) + "/rrset", ""},
		{"GET", "hostedzone/" + zone + "/rrset?type=A", ""},
		{"GET", "hostedzone?maxitems=0", ""},
		{"GET", "hostedzone/../../", ""},
		{"PUT", "hostedzone", ""},
		{"GET", "nosuchaction", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method, target string, body []byte) {
		if !r53FuzzMethod.MatchString(method) {
			method = http.MethodGet
		}
		p, query, _ := strings.Cut(target, "?")
		u := &url.URL{Path: "/2013-04-01/" + p, RawQuery: query}
		req := httptest.NewRequest(http.MethodGet, "/", bytes.NewReader(body))
		req.Method, req.URL, req.RequestURI = method, u, u.RequestURI()
		if len(body) > 0 {
			req.Header.Set("Content-Type", "application/xml")
		}
		fx := newR53Fixture(t)
		rec := httptest.NewRecorder()
		fx.srv.ServeHTTP(rec, req)
		checkRoute53Answer(t, rec)
	})
}

// checkRoute53Answer checks the invariants of a Route 53 answer.
func checkRoute53Answer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.Bytes()
	switch {
	case rec.Code >= 500:
		t.Fatalf("HTTP %d: %s", rec.Code, body)
	case rec.Code == http.StatusMovedPermanently && rec.Header().Get("Location") != "":
		return // the router's redirect to the cleaned path (// or /../ in the path)
	case rec.Code < 200 || rec.Code >= 300 && rec.Code < 400:
		t.Fatalf("HTTP %d: %s", rec.Code, body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/xml" {
		t.Fatalf("HTTP %d with Content-Type %q: %s", rec.Code, ct, body)
	}
	if rec.Code >= 400 {
		if _, err := parseRoute53Error(body); err != nil {
			t.Fatalf("HTTP %d error body: %v\n%s", rec.Code, err, body)
		}
		return
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("HTTP %d body is not XML: %v\n%s", rec.Code, err, body)
		}
	}
}
