package route53

import "encoding/xml"

// GetDNSSECOutput is the GetDNSSECResponse document. The model's KeySigningKeys list names no
// member element, so each KSK is a <member>: aws-sdk-go-v2 skips any other child, such as the
// <KeySigningKey> the API reference's response syntax shows (botocore reads either).
type GetDNSSECOutput struct {
	XMLName xml.Name `xml:"GetDNSSECResponse"`
	xmlns
	Status         DNSSECStatus    `xml:"Status"`
	KeySigningKeys []KeySigningKey `xml:"KeySigningKeys>member"`
}

// DNSSECStatus is a zone's signing status.
type DNSSECStatus struct {
	ServeSignature string `xml:"ServeSignature"`
	StatusMessage  string `xml:"StatusMessage,omitempty"`
}

// GetDNSSEC returns a zone's signing status and KSKs. Reading the zone re-signs it when the
// re-sign interval has passed on the clock, which is when a broken key shows.
func (s *Service) GetDNSSEC(rc *Request, zoneID string) (*GetDNSSECOutput, error) {
	z, err := s.zone(rc, zoneID)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(rc, "route53:GetDNSSEC", zoneARN(z.ID), nil); err != nil {
		return nil, err
	}
	if z, err = s.resignIfDue(rc, z); err != nil {
		return nil, err
	}
	out := &GetDNSSECOutput{xmlns: ns, Status: DNSSECStatus{ServeSignature: serveSignature(z), StatusMessage: z.DNSSEC.StatusMessage},
		KeySigningKeys: []KeySigningKey{}}
	for _, k := range z.KSKs {
		out.KeySigningKeys = append(out.KeySigningKeys, keySigningKey(z.Name, k))
	}
	return out, nil
}
