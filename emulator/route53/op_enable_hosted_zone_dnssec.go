package route53

import (
	"encoding/xml"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// EnableHostedZoneDNSSECOutput is the EnableHostedZoneDNSSECResponse document.
type EnableHostedZoneDNSSECOutput struct {
	XMLName xml.Name `xml:"EnableHostedZoneDNSSECResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// EnableHostedZoneDNSSEC starts signing a zone. It needs an ACTIVE KSK, and a hosted parent zone
// that delegates the zone must name the zone's own name servers.
func (s *Service) EnableHostedZoneDNSSEC(rc *Request, zoneID string) (*EnableHostedZoneDNSSECOutput, error) {
	z, err := s.dnssecZone(rc, zoneID, "route53:EnableHostedZoneDNSSEC")
	if err != nil {
		return nil, err
	}
	if !hasActiveKSK(z) {
		return nil, awsproto.Errorf("KeySigningKeyWithActiveStatusNotFound",
			"Hosted zone with ID '%s' does not have a Key Signing Key in ACTIVE status.", z.ID)
	}
	if err := s.partiallyDelegated(z); err != nil {
		return nil, err
	}
	if _, err := s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		z.DNSSEC.Signing, z.DNSSEC.StatusMessage = true, ""
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.resign(rc, z.ID); err != nil {
		return nil, err
	}
	return &EnableHostedZoneDNSSECOutput{xmlns: ns, ChangeInfo: s.newChange(rc, "")}, nil
}
