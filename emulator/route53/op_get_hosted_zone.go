package route53

import "encoding/xml"

// GetHostedZoneOutput is the GetHostedZoneResponse document.
type GetHostedZoneOutput struct {
	XMLName xml.Name `xml:"GetHostedZoneResponse"`
	xmlns
	HostedZone    HostedZone     `xml:"HostedZone"`
	DelegationSet *DelegationSet `xml:"DelegationSet,omitempty"`
	VPCs          *VPCs          `xml:"VPCs,omitempty"`
}

// VPCs lists the VPCs of a private zone.
type VPCs struct {
	VPC []VPC `xml:"VPC"`
}

// GetHostedZone returns a zone of the caller's account with its delegation set (public zones) or
// VPCs (private zones).
func (s *Service) GetHostedZone(rc *Request, id string) (*GetHostedZoneOutput, error) {
	z, err := s.zone(rc, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(rc, "route53:GetHostedZone", zoneARN(z.ID), nil); err != nil {
		return nil, err
	}
	out := &GetHostedZoneOutput{xmlns: ns, HostedZone: hostedZone(z)}
	if z.Private {
		out.VPCs = &VPCs{}
		for _, v := range z.VPCs {
			out.VPCs.VPC = append(out.VPCs.VPC, VPC{VPCRegion: v.Region, VPCID: v.ID})
		}
	} else {
		out.DelegationSet = delegationSet(z)
	}
	return out, nil
}
