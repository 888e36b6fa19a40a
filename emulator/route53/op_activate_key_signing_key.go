package route53

import (
	"encoding/xml"

	"github.com/kms53/kms53/emulator/store"
)

// ActivateKeySigningKeyOutput is the ActivateKeySigningKeyResponse document.
type ActivateKeySigningKeyOutput struct {
	XMLName xml.Name `xml:"ActivateKeySigningKeyResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// ActivateKeySigningKey makes a KSK ACTIVE after checking its KMS key again, as on
// CreateKeySigningKey: it is how a KSK in ACTION_NEEDED recovers once its key is fixed. Route 53
// gets a fresh grant, replacing the old one.
func (s *Service) ActivateKeySigningKey(rc *Request, zoneID, name string) (*ActivateKeySigningKeyOutput, error) {
	z, err := s.dnssecZone(rc, zoneID, "route53:ActivateKeySigningKey")
	if err != nil {
		return nil, err
	}
	i, err := findKSK(z, name)
	if err != nil {
		return nil, err
	}
	old := z.KSKs[i]
	checked, err := s.checkKMSKey(rc, z, old.KMSArn, name, true)
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		i, err := findKSK(*z, name)
		if err != nil {
			return err
		}
		k := &z.KSKs[i]
		k.Status, k.StatusMessage, k.GrantToken, k.ModifiedAt = statusActive, "", checked.grantToken, s.now()
		return nil
	})
	if err != nil {
		s.retireGrant(rc, z, checked.grantToken)
		return nil, err
	}
	if old.GrantToken != checked.grantToken {
		s.retireGrant(rc, z, old.GrantToken)
	}
	if err := s.resign(rc, z.ID); err != nil {
		return nil, err
	}
	return &ActivateKeySigningKeyOutput{xmlns: ns, ChangeInfo: s.newChange(rc, "")}, nil
}
