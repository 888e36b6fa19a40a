package route53

import "encoding/xml"

// GetHostedZoneCountOutput is the GetHostedZoneCountResponse document.
type GetHostedZoneCountOutput struct {
	XMLName xml.Name `xml:"GetHostedZoneCountResponse"`
	xmlns
	HostedZoneCount int64 `xml:"HostedZoneCount"`
}

// GetHostedZoneCount counts the caller's hosted zones.
func (s *Service) GetHostedZoneCount(rc *Request) (*GetHostedZoneCountOutput, error) {
	if err := s.authorize(rc, "route53:GetHostedZoneCount", "*", nil); err != nil {
		return nil, err
	}
	return &GetHostedZoneCountOutput{xmlns: ns, HostedZoneCount: int64(len(s.store.Zones(rc.Caller.Account)))}, nil
}
