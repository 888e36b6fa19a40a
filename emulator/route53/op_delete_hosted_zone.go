package route53

import (
	"encoding/xml"
	"errors"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// DeleteHostedZoneOutput is the DeleteHostedZoneResponse document.
type DeleteHostedZoneOutput struct {
	XMLName xml.Name `xml:"DeleteHostedZoneResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// DeleteHostedZone deletes a zone that holds only its apex SOA and NS records and no KSKs.
func (s *Service) DeleteHostedZone(rc *Request, id string) (*DeleteHostedZoneOutput, error) {
	z, err := s.zone(rc, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(rc, "route53:DeleteHostedZone", zoneARN(z.ID), nil); err != nil {
		return nil, err
	}
	err = s.store.DeleteZone(z.ID, func(z store.Zone) error {
		if len(z.KSKs) > 0 {
			return awsproto.Errorf("HostedZoneNotEmpty", "The specified hosted zone contains DNSSEC Key Signing Keys and so cannot be deleted.")
		}
		for _, r := range z.Records {
			if r.Name != z.Name || (r.Type != "SOA" && r.Type != "NS") {
				return awsproto.Errorf("HostedZoneNotEmpty",
					"The specified hosted zone contains non-required resource record sets and so cannot be deleted.")
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSuchHostedZone(id)
	}
	if err != nil {
		return nil, err
	}
	return &DeleteHostedZoneOutput{xmlns: ns, ChangeInfo: s.newChange(rc, "")}, nil
}
