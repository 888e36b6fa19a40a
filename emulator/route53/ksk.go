package route53

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// KeySigningKey is the KeySigningKey structure of CreateKeySigningKey and GetDNSSEC.
type KeySigningKey struct {
	Name                     string    `xml:"Name"`
	KmsArn                   string    `xml:"KmsArn"`
	Flag                     int       `xml:"Flag"`
	SigningAlgorithmMnemonic string    `xml:"SigningAlgorithmMnemonic"`
	SigningAlgorithmType     int       `xml:"SigningAlgorithmType"`
	DigestAlgorithmMnemonic  string    `xml:"DigestAlgorithmMnemonic"`
	DigestAlgorithmType      int       `xml:"DigestAlgorithmType"`
	KeyTag                   int       `xml:"KeyTag"`
	DigestValue              string    `xml:"DigestValue"`
	PublicKey                string    `xml:"PublicKey"`
	DSRecord                 string    `xml:"DSRecord"`
	DNSKEYRecord             string    `xml:"DNSKEYRecord"`
	Status                   string    `xml:"Status"`
	StatusMessage            string    `xml:"StatusMessage,omitempty"`
	CreatedDate              Timestamp `xml:"CreatedDate"`
	LastModifiedDate         Timestamp `xml:"LastModifiedDate"`
}

// keySigningKey renders a stored KSK of a zone.
func keySigningKey(zone string, k store.KSK) KeySigningKey {
	v := kskValues(zone, k.PublicKey)
	return KeySigningKey{
		Name: k.Name, KmsArn: k.KMSArn, Flag: kskFlags,
		SigningAlgorithmMnemonic: algMnemonic, SigningAlgorithmType: algECDSAP256,
		DigestAlgorithmMnemonic: digestMnemonic, DigestAlgorithmType: digestSHA256,
		KeyTag: int(v.KeyTag), DigestValue: v.DigestValue, PublicKey: v.PublicKey,
		DSRecord: v.DSRecord, DNSKEYRecord: v.DNSKEYRecord,
		Status: k.Status, StatusMessage: k.StatusMessage,
		CreatedDate: Timestamp(k.CreatedAt), LastModifiedDate: Timestamp(k.ModifiedAt),
	}
}

// maxKSKs is the number of KSKs a zone may have.
const maxKSKs = 2

var kskNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_]{3,128}$`)

// checkKSKName applies Route 53's rule for KSK names: 3 to 128 letters, digits and underscores.
func checkKSKName(name string) error {
	if !kskNamePattern.MatchString(name) {
		// UNVERIFIED text; the code and the rule are the model's.
		return awsproto.Errorf("InvalidKeySigningKeyName",
			"The key-signing key (KSK) name %q isn't valid: use 3 to 128 letters, numbers and underscores.", name)
	}
	return nil
}

// dnssecZone finds a public zone of the caller for a DNSSEC operation and authorizes action.
func (s *Service) dnssecZone(rc *Request, id, action string) (store.Zone, error) {
	z, err := s.zone(rc, id)
	if err != nil {
		return store.Zone{}, err
	}
	if err := s.authorize(rc, action, zoneARN(z.ID), nil); err != nil {
		return store.Zone{}, err
	}
	if z.Private {
		// UNVERIFIED code: AWS documents that private zones cannot be signed, not the error.
		return store.Zone{}, awsproto.Errorf("InvalidInput", "DNSSEC signing is supported only for public hosted zones; %s is a private hosted zone.", z.ID)
	}
	return z, nil
}

// findKSK returns the index of a zone's KSK by name, or NoSuchKeySigningKey.
func findKSK(z store.Zone, name string) (int, error) {
	if i := slices.IndexFunc(z.KSKs, func(k store.KSK) bool { return k.Name == name }); i >= 0 {
		return i, nil
	}
	return -1, awsproto.ErrorStatus(http.StatusNotFound, "NoSuchKeySigningKey",
		"The specified key-signing key (KSK) %s doesn't exist in hosted zone %s.", name, z.ID)
}

// parentZones are the hosted zones of this emulator, in any account, that are proper ancestors
// of z: where the chain of trust to z starts.
func (s *Service) parentZones(z store.Zone) []store.Zone {
	var out []store.Zone
	for _, p := range s.store.Zones("") {
		if p.ID != z.ID && !p.Private && inZone(z.Name, p.Name) && p.Name != z.Name {
			out = append(out, p)
		}
	}
	return out
}

// dsInParent finds a parent zone holding a DS record, at z's name, for one of the given KSKs.
func (s *Service) dsInParent(z store.Zone, ksks []store.KSK) (store.Zone, store.KSK, bool) {
	for _, p := range s.parentZones(z) {
		for _, r := range p.Records {
			if r.Name != z.Name || r.Type != "DS" {
				continue
			}
			for _, v := range r.Values {
				for _, k := range ksks {
					if dsMatches(v, kskValues(z.Name, k.PublicKey)) {
						return p, k, true
					}
				}
			}
		}
	}
	return store.Zone{}, store.KSK{}, false
}

// dsMatches compares a DS record value with a KSK's key tag, algorithm and SHA-256 digest.
func dsMatches(value string, v kskRecords) bool {
	f := strings.Fields(value)
	return len(f) == 4 && f[0] == fmt.Sprint(v.KeyTag) && f[1] == fmt.Sprint(algECDSAP256) &&
		f[2] == fmt.Sprint(digestSHA256) && strings.EqualFold(f[3], v.DigestValue)
}

// errInParentDS is KeySigningKeyInParentDSRecord for a DS found in a hosted parent zone.
func errInParentDS(z, parent store.Zone, k store.KSK) error {
	// UNVERIFIED text: AWS's recorded message covers a failed DNS lookup; this names what kms53
	// found.
	return awsproto.Errorf("KeySigningKeyInParentDSRecord",
		"The key-signing key (KSK) %s of hosted zone %s is specified in a DS record in the parent zone %s (hosted zone %s). "+
			"Remove the DS record from the parent zone first, or the authentication chain would break.",
		k.Name, presentName(z.Name), presentName(parent.Name), parent.ID)
}

// partiallyDelegated checks that every hosted parent zone that delegates z names exactly z's
// name servers.
func (s *Service) partiallyDelegated(z store.Zone) error {
	want := normalizedSet(z.NameServers)
	for _, p := range s.parentZones(z) {
		for _, r := range p.Records {
			if r.Name == z.Name && r.Type == "NS" && !slices.Equal(normalizedSet(r.Values), want) {
				return awsproto.Errorf("HostedZonePartiallyDelegated",
					"The hosted zone nameservers don't match the parent nameservers. The hosted zone and parent must have the same nameservers. "+
						"Hosted zone %s (%s) has %s; the parent zone %s (%s) delegates to %s.",
					z.ID, presentName(z.Name), strings.Join(z.NameServers, " "), p.ID, presentName(p.Name), strings.Join(r.Values, " "))
			}
		}
	}
	return nil
}

func normalizedSet(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i], _ = normalizeName(n)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
