package route53

import (
	"encoding/xml"
	"net/http"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// CreateKeySigningKeyInput is the CreateKeySigningKeyRequest document.
type CreateKeySigningKeyInput struct {
	XMLName                 xml.Name `xml:"CreateKeySigningKeyRequest"`
	CallerReference         string   `xml:"CallerReference"`
	HostedZoneID            string   `xml:"HostedZoneId"`
	KeyManagementServiceArn string   `xml:"KeyManagementServiceArn"`
	Name                    string   `xml:"Name"`
	Status                  string   `xml:"Status"`
}

// CreateKeySigningKeyOutput is the CreateKeySigningKeyResponse document.
type CreateKeySigningKeyOutput struct {
	XMLName xml.Name `xml:"CreateKeySigningKeyResponse"`
	xmlns
	ChangeInfo    ChangeInfo    `xml:"ChangeInfo"`
	KeySigningKey KeySigningKey `xml:"KeySigningKey"`
}

// CreateKeySigningKey creates a KSK backed by a KMS key, after checking the key through KMS as
// Route 53 and as the caller, and creating Route 53's grant on it. Its DNSKEY, DS and key tag
// come from the key's real public key.
func (s *Service) CreateKeySigningKey(rc *Request, in *CreateKeySigningKeyInput) (*CreateKeySigningKeyOutput, error) {
	var c awsproto.Checks
	c.Required("callerReference", in.CallerReference != "")
	c.Length("callerReference", in.CallerReference, 0, 128)
	c.Required("hostedZoneId", in.HostedZoneID != "")
	c.Length("hostedZoneId", in.HostedZoneID, 0, 32)
	c.Required("keyManagementServiceArn", in.KeyManagementServiceArn != "")
	c.Required("name", in.Name != "")
	c.Required("status", in.Status != "")
	if err := c.ErrCode("InvalidInput"); err != nil {
		return nil, err
	}
	if err := checkKSKName(in.Name); err != nil {
		return nil, err
	}
	if in.Status != statusActive && in.Status != statusInactive {
		return nil, awsproto.Errorf("InvalidKeySigningKeyStatus", "The status %s isn't valid for a new key-signing key (KSK): use ACTIVE or INACTIVE.", in.Status)
	}
	z, err := s.dnssecZone(rc, in.HostedZoneID, "route53:CreateKeySigningKey")
	if err != nil {
		return nil, err
	}
	if err := checkNewKSK(z, in.Name, in.KeyManagementServiceArn); err != nil {
		return nil, err
	}
	checked, err := s.checkKMSKey(rc, z, in.KeyManagementServiceArn, in.Name, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ksk := store.KSK{Name: in.Name, KMSArn: in.KeyManagementServiceArn, Status: in.Status, PublicKey: checked.publicKey,
		GrantToken: checked.grantToken, CreatedAt: now, ModifiedAt: now}
	_, err = s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		if err := checkNewKSK(*z, in.Name, in.KeyManagementServiceArn); err != nil {
			return err
		}
		z.KSKs = append(z.KSKs, ksk)
		return nil
	})
	if err != nil {
		s.retireGrant(rc, z, checked.grantToken)
		return nil, err
	}
	if err := s.resign(rc, z.ID); err != nil {
		return nil, err
	}
	if z, err = s.store.Zone(z.ID); err != nil {
		return nil, err
	}
	i, _ := findKSK(z, in.Name)
	return &CreateKeySigningKeyOutput{xmlns: ns, ChangeInfo: s.newChange(rc, ""), KeySigningKey: keySigningKey(z.Name, z.KSKs[i])}, nil
}

// checkNewKSK enforces the per-zone rules: name and KMS key unique, at most two KSKs.
func checkNewKSK(z store.Zone, name, arn string) error {
	for _, k := range z.KSKs {
		if k.Name == name || k.KMSArn == arn {
			// UNVERIFIED text; the code, status and rule are the model's.
			return awsproto.ErrorStatus(http.StatusConflict, "KeySigningKeyAlreadyExists",
				"Hosted zone %s already has a key-signing key (KSK) named %s or using the customer managed key %s.", z.ID, k.Name, k.KMSArn)
		}
	}
	if len(z.KSKs) >= maxKSKs {
		return awsproto.Errorf("TooManyKeySigningKeys",
			"Hosted zone %s already has %d key-signing keys (KSKs), the limit. Remove at least one KSK, and then try again.", z.ID, len(z.KSKs))
	}
	return nil
}
