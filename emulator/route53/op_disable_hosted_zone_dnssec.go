package route53

import (
	"encoding/xml"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// DisableHostedZoneDNSSECOutput is the DisableHostedZoneDNSSECResponse document.
type DisableHostedZoneDNSSECOutput struct {
	XMLName xml.Name `xml:"DisableHostedZoneDNSSECResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// DisableHostedZoneDNSSEC stops signing a zone; its KSKs stay ACTIVE, as on AWS. It refuses while
// a hosted parent zone holds a DS record for one of the zone's active KSKs.
func (s *Service) DisableHostedZoneDNSSEC(rc *Request, zoneID string) (*DisableHostedZoneDNSSECOutput, error) {
	z, err := s.dnssecZone(rc, zoneID, "route53:DisableHostedZoneDNSSEC")
	if err != nil {
		return nil, err
	}
	if !z.DNSSEC.Signing && len(z.KSKs) == 0 {
		return nil, awsproto.Errorf("DNSSECNotFound", "The hosted zone %s doesn't have any DNSSEC resources.", z.ID)
	}
	var active []store.KSK
	for _, k := range z.KSKs {
		if k.Status == statusActive {
			active = append(active, k)
		}
	}
	if parent, k, found := s.dsInParent(z, active); found {
		return nil, errInParentDS(z, parent, k)
	}
	if _, err := s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		z.DNSSEC.Signing = false
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.resign(rc, z.ID); err != nil {
		return nil, err
	}
	return &DisableHostedZoneDNSSECOutput{xmlns: ns, ChangeInfo: s.newChange(rc, "")}, nil
}
