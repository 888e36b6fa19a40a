package route53

import (
	"encoding/xml"
	"strconv"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ListHostedZonesInput holds the query parameters of ListHostedZones.
type ListHostedZonesInput struct {
	Marker          string
	MaxItems        string
	DelegationSetID string
	HostedZoneType  string
}

// ListHostedZonesOutput is the ListHostedZonesResponse document.
type ListHostedZonesOutput struct {
	XMLName xml.Name `xml:"ListHostedZonesResponse"`
	xmlns
	HostedZones []HostedZone `xml:"HostedZones>HostedZone"`
	Marker      string       `xml:"Marker"`
	IsTruncated bool         `xml:"IsTruncated"`
	NextMarker  string       `xml:"NextMarker,omitempty"`
	MaxItems    string       `xml:"MaxItems"`
}

// ListHostedZones lists the caller's zones in creation order, at most 100 a page; NextMarker is
// the id of the next page's first zone.
func (s *Service) ListHostedZones(rc *Request, in *ListHostedZonesInput) (*ListHostedZonesOutput, error) {
	max, err := maxItems(in.MaxItems, 100)
	if err != nil {
		return nil, err
	}
	if in.HostedZoneType != "" && in.HostedZoneType != "PrivateHostedZone" {
		var c awsproto.Checks
		c.Enum("hostedZoneType", in.HostedZoneType, []string{"PrivateHostedZone"})
		return nil, c.ErrCode("InvalidInput")
	}
	if in.DelegationSetID != "" {
		return nil, awsproto.Errorf("NoSuchDelegationSet", "A reusable delegation set with the specified ID %s does not exist.", in.DelegationSetID)
	}
	if err := s.authorize(rc, "route53:ListHostedZones", "*", nil); err != nil {
		return nil, err
	}
	var zones []store.Zone
	for _, z := range s.store.Zones(rc.Caller.Account) {
		if in.HostedZoneType == "" || z.Private {
			zones = append(zones, z)
		}
	}
	start := 0
	if in.Marker != "" {
		start = -1
		for i, z := range zones {
			if z.ID == in.Marker {
				start = i
			}
		}
		if start < 0 {
			// UNVERIFIED text: a marker that names no zone of the caller.
			return nil, awsproto.Errorf("InvalidInput", "The marker %s does not name a hosted zone of this account.", in.Marker)
		}
	}
	end := min(start+max, len(zones))
	out := &ListHostedZonesOutput{xmlns: ns, HostedZones: []HostedZone{}, Marker: in.Marker, MaxItems: strconv.Itoa(max)}
	for _, z := range zones[start:end] {
		out.HostedZones = append(out.HostedZones, hostedZone(z))
	}
	if end < len(zones) {
		out.IsTruncated, out.NextMarker = true, zones[end].ID
	}
	return out, nil
}

// maxItems parses a maxitems query parameter: a positive number, capped at limit (as Route 53
// returns at most its page size); absent means limit.
func maxItems(v string, limit int) (int, error) {
	if v == "" {
		return limit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		var c awsproto.Checks
		c.Add(v, "maxItems", "Member must be a positive integer")
		return 0, c.ErrCode("InvalidInput")
	}
	return min(n, limit), nil
}
