package route53

import (
	"encoding/xml"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// UpdateHostedZoneCommentInput is the UpdateHostedZoneCommentRequest document.
type UpdateHostedZoneCommentInput struct {
	XMLName xml.Name `xml:"UpdateHostedZoneCommentRequest"`
	Comment *string  `xml:"Comment"`
}

// UpdateHostedZoneCommentOutput is the UpdateHostedZoneCommentResponse document.
type UpdateHostedZoneCommentOutput struct {
	XMLName xml.Name `xml:"UpdateHostedZoneCommentResponse"`
	xmlns
	HostedZone HostedZone `xml:"HostedZone"`
}

// UpdateHostedZoneComment replaces a zone's comment; no comment clears it.
func (s *Service) UpdateHostedZoneComment(rc *Request, id string, in *UpdateHostedZoneCommentInput) (*UpdateHostedZoneCommentOutput, error) {
	comment := ""
	if in.Comment != nil {
		comment = *in.Comment
	}
	var c awsproto.Checks
	c.Length("comment", comment, 0, 256)
	if err := c.ErrCode("InvalidInput"); err != nil {
		return nil, err
	}
	z, err := s.zone(rc, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(rc, "route53:UpdateHostedZoneComment", zoneARN(z.ID), nil); err != nil {
		return nil, err
	}
	z, err = s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		z.Comment = comment
		return nil
	})
	if err != nil {
		return nil, errNoSuchHostedZone(id)
	}
	return &UpdateHostedZoneCommentOutput{xmlns: ns, HostedZone: hostedZone(z)}, nil
}
