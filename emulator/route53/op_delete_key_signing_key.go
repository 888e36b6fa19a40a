package route53

import (
	"encoding/xml"
	"slices"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// DeleteKeySigningKeyOutput is the DeleteKeySigningKeyResponse document.
type DeleteKeySigningKeyOutput struct {
	XMLName xml.Name `xml:"DeleteKeySigningKeyResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// DeleteKeySigningKey deletes an INACTIVE KSK and retires Route 53's grant on its KMS key.
func (s *Service) DeleteKeySigningKey(rc *Request, zoneID, name string) (*DeleteKeySigningKeyOutput, error) {
	z, err := s.dnssecZone(rc, zoneID, "route53:DeleteKeySigningKey")
	if err != nil {
		return nil, err
	}
	var deleted store.KSK
	_, err = s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		i, err := findKSK(*z, name)
		if err != nil {
			return err
		}
		if z.KSKs[i].Status != statusInactive {
			return awsproto.Errorf("InvalidKeySigningKeyStatus",
				"Key Signing Key with name %s cannot be deleted because current status is not INACTIVE.", name)
		}
		deleted = z.KSKs[i]
		z.KSKs = slices.Delete(z.KSKs, i, i+1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.retireGrant(rc, z, deleted.GrantToken)
	if err := s.resign(rc, z.ID); err != nil {
		return nil, err
	}
	return &DeleteKeySigningKeyOutput{xmlns: ns, ChangeInfo: s.newChange(rc, "")}, nil
}
