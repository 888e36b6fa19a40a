package route53

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/hex"
	"testing"

	"github.com/miekg/dns"
)

// TestKSKValuesVector checks the worked vector of AWS-BEHAVIOUR §4.4 (RFC 6979 A.2.5 P-256 key,
// zone example.com.).
func TestKSKValuesVector(t *testing.T) {
	t.Parallel()
	spki, _ := hex.DecodeString("3059301306072a8648ce3d020106082a8648ce3d03010703420004" +
		"60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6" +
		"7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299")
	key, err := dnskeyPublicKey(spki)
	if err != nil {
		t.Fatal(err)
	}
	got := kskValues("example.com.", key)
	want := kskRecords{
		PublicKey:    "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==",
		KeyTag:       23698,
		DigestValue:  "87CF0015DF9F91CC61EC25D5E64F8F9F9CDCB993BFA1D3663F6D9657EDD250BE",
		DSRecord:     "23698 13 2 87CF0015DF9F91CC61EC25D5E64F8F9F9CDCB993BFA1D3663F6D9657EDD250BE",
		DNSKEYRecord: "257 3 13 YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==",
	}
	if got != want {
		t.Fatalf("kskValues =\n%+v\nwant\n%+v", got, want)
	}
}

// TestKSKValuesAgreeWithMiekg checks the hand-written key tag and DS against miekg/dns on random
// keys and mixed-case zone names.
func TestKSKValuesAgreeWithMiekg(t *testing.T) {
	t.Parallel()
	for i := 0; i < 200; i++ {
		// About one key in 128 has a coordinate with a leading zero byte, which must be kept.
		k, _ := ecdsa.GenerateKey(elliptic.P256(), nil)
		spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		key, err := dnskeyPublicKey(spki)
		if err != nil {
			t.Fatal(err)
		}
		if len(key) != 64 {
			t.Fatalf("public key is %d bytes, want 64", len(key))
		}
		zone := []string{"Example.COM.", "a.b.example.test.", "x."}[i%3]
		got := kskValues(zone, key)
		dk := &dns.DNSKEY{Hdr: dns.RR_Header{Name: dns.Fqdn(zone), Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 3600},
			Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256, PublicKey: got.PublicKey}
		ds := dk.ToDS(dns.SHA256)
		if got.KeyTag != dk.KeyTag() || got.DigestValue != upper(ds.Digest) {
			t.Fatalf("zone %s: key tag %d digest %s; miekg/dns says %d %s", zone, got.KeyTag, got.DigestValue, dk.KeyTag(), ds.Digest)
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}
