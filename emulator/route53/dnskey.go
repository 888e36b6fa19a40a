package route53

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// DNSSEC constants of a Route 53 KSK (AWS-BEHAVIOUR §3.1, §4).
const (
	kskFlags         = 257 // Zone Key and Secure Entry Point
	zskFlags         = 256
	dnssecProtocol   = 3
	algECDSAP256     = 13
	algMnemonic      = "ECDSAP256SHA256"
	digestSHA256     = 2
	digestMnemonic   = "SHA-256"
	p256CoordinateSz = 32
)

// dnskeyPublicKey returns the DNSSEC form of a P-256 public key given as DER SubjectPublicKeyInfo
// (what KMS GetPublicKey returns): the 64 bytes X‖Y, each left-padded to 32 (RFC 6605 §4).
func dnskeyPublicKey(spki []byte) ([]byte, error) {
	pub, err := x509.ParsePKIXPublicKey(spki)
	if err != nil {
		return nil, err
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, errors.New("not an ECDSA P-256 public key")
	}
	point, err := ec.Bytes() // uncompressed: 0x04 ‖ X ‖ Y
	if err != nil {
		return nil, err
	}
	return point[1:], nil
}

// dnskeyRDATA is the DNSKEY RDATA: flags, protocol 3, algorithm 13, public key (RFC 4034 §2.1).
func dnskeyRDATA(flags uint16, key []byte) []byte {
	rdata := make([]byte, 4, 4+len(key))
	binary.BigEndian.PutUint16(rdata, flags)
	rdata[2], rdata[3] = dnssecProtocol, algECDSAP256
	return append(rdata, key...)
}

// keyTag computes the key tag of a DNSKEY RDATA (RFC 4034 Appendix B).
func keyTag(rdata []byte) uint16 {
	var ac uint32
	for i, b := range rdata {
		if i&1 == 1 {
			ac += uint32(b)
		} else {
			ac += uint32(b) << 8
		}
	}
	ac += ac >> 16 & 0xFFFF
	return uint16(ac & 0xFFFF)
}

// canonicalName is a domain name in canonical wire form: lower-case labels, each length-prefixed,
// ending with the root label (RFC 4034 §6.2).
func canonicalName(name string) []byte {
	var out []byte
	for _, label := range strings.Split(strings.TrimSuffix(strings.ToLower(name), "."), ".") {
		if label == "" {
			continue
		}
		out = append(out, byte(len(label)))
		out = append(out, label...)
	}
	return append(out, 0)
}

// dsDigest is the SHA-256 DS digest of a DNSKEY: SHA-256(owner ‖ RDATA) (RFC 4034 §5.1.4,
// RFC 4509), as upper-case hex as Route 53 shows it.
func dsDigest(zone string, rdata []byte) string {
	h := sha256.New()
	h.Write(canonicalName(zone))
	h.Write(rdata)
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
}

// kskRecords are the values Route 53 shows for a KSK of a zone with this public key.
type kskRecords struct {
	PublicKey    string // base64 X‖Y
	KeyTag       uint16
	DigestValue  string
	DSRecord     string
	DNSKEYRecord string
}

// kskValues computes a KSK's PublicKey, KeyTag, DigestValue, DSRecord and DNSKEYRecord.
func kskValues(zone string, key []byte) kskRecords {
	rdata := dnskeyRDATA(kskFlags, key)
	r := kskRecords{PublicKey: base64.StdEncoding.EncodeToString(key), KeyTag: keyTag(rdata), DigestValue: dsDigest(zone, rdata)}
	r.DSRecord = fmt.Sprintf("%d %d %d %s", r.KeyTag, algECDSAP256, digestSHA256, r.DigestValue)
	r.DNSKEYRecord = fmt.Sprintf("%d %d %d %s", kskFlags, dnssecProtocol, algECDSAP256, r.PublicKey)
	return r
}
