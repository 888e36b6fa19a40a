package route53

import (
	"encoding/xml"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// DeactivateKeySigningKeyOutput is the DeactivateKeySigningKeyResponse document.
type DeactivateKeySigningKeyOutput struct {
	XMLName xml.Name `xml:"DeactivateKeySigningKeyResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// DeactivateKeySigningKey makes a KSK INACTIVE. It refuses the only ACTIVE KSK of a signing zone
// (KeySigningKeyInUse), and a KSK whose DS record a hosted parent zone still holds.
func (s *Service) DeactivateKeySigningKey(rc *Request, zoneID, name string) (*DeactivateKeySigningKeyOutput, error) {
	z, err := s.dnssecZone(rc, zoneID, "route53:DeactivateKeySigningKey")
	if err != nil {
		return nil, err
	}
	i, err := findKSK(z, name)
	if err != nil {
		return nil, err
	}
	k := z.KSKs[i]
	if err := lastActiveKSK(z, name); err != nil {
		return nil, err
	}
	if parent, _, found := s.dsInParent(z, []store.KSK{k}); found {
		return nil, errInParentDS(z, parent, k)
	}
	_, err = s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		i, err := findKSK(*z, name)
		if err != nil {
			return err
		}
		if err := lastActiveKSK(*z, name); err != nil {
			return err
		}
		z.KSKs[i].Status, z.KSKs[i].StatusMessage, z.KSKs[i].ModifiedAt = statusInactive, "", s.now()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.resign(rc, z.ID); err != nil {
		return nil, err
	}
	return &DeactivateKeySigningKeyOutput{xmlns: ns, ChangeInfo: s.newChange(rc, "")}, nil
}

// lastActiveKSK refuses to deactivate the only ACTIVE KSK of a zone that signs.
func lastActiveKSK(z store.Zone, name string) error {
	if !z.DNSSEC.Signing {
		return nil
	}
	for _, k := range z.KSKs {
		if k.Status == statusActive && k.Name != name {
			return nil
		}
	}
	i, _ := findKSK(z, name)
	if i < 0 || z.KSKs[i].Status != statusActive {
		return nil
	}
	return awsproto.Errorf("KeySigningKeyInUse",
		"The key-signing key (KSK) %s can't be deactivated because it's the only KSK for a currently-enabled DNSSEC. Disable DNSSEC signing, or add or enable another KSK.", name)
}
