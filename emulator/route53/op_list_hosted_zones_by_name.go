package route53

import (
	"encoding/xml"
	"slices"
	"strconv"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ListHostedZonesByNameInput holds the query parameters of ListHostedZonesByName.
type ListHostedZonesByNameInput struct {
	DNSName      string
	HostedZoneID string
	MaxItems     string
}

// ListHostedZonesByNameOutput is the ListHostedZonesByNameResponse document.
type ListHostedZonesByNameOutput struct {
	XMLName xml.Name `xml:"ListHostedZonesByNameResponse"`
	xmlns
	HostedZones      []HostedZone `xml:"HostedZones>HostedZone"`
	DNSName          string       `xml:"DNSName,omitempty"`
	HostedZoneID     string       `xml:"HostedZoneId,omitempty"`
	IsTruncated      bool         `xml:"IsTruncated"`
	NextDNSName      string       `xml:"NextDNSName,omitempty"`
	NextHostedZoneID string       `xml:"NextHostedZoneId,omitempty"`
	MaxItems         string       `xml:"MaxItems"`
}

// ListHostedZonesByName lists the caller's zones sorted by name with the labels reversed
// (com.example before com.example.www), then by id, from the given name and id on.
func (s *Service) ListHostedZonesByName(rc *Request, in *ListHostedZonesByNameInput) (*ListHostedZonesByNameOutput, error) {
	max, err := maxItems(in.MaxItems, 100)
	if err != nil {
		return nil, err
	}
	if in.HostedZoneID != "" && in.DNSName == "" {
		return nil, awsproto.Errorf("InvalidInput", "The hostedzoneid parameter requires the dnsname parameter.")
	}
	start := ""
	if in.DNSName != "" {
		n, ok := normalizeName(in.DNSName)
		if !ok {
			return nil, awsproto.Errorf("InvalidDomainName", "%s is not a valid domain name.", in.DNSName)
		}
		start = n
	}
	if err := s.authorize(rc, "route53:ListHostedZonesByName", "*", nil); err != nil {
		return nil, err
	}
	zones := s.store.Zones(rc.Caller.Account)
	slices.SortFunc(zones, func(a, b store.Zone) int {
		if c := compareNames(a.Name, b.Name); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
	i := 0
	for start != "" && i < len(zones) {
		c := compareNames(zones[i].Name, start)
		if c > 0 || c == 0 && (in.HostedZoneID == "" || zones[i].ID >= in.HostedZoneID) {
			break
		}
		i++
	}
	end := min(i+max, len(zones))
	out := &ListHostedZonesByNameOutput{xmlns: ns, HostedZones: []HostedZone{}, MaxItems: strconv.Itoa(max),
		HostedZoneID: in.HostedZoneID}
	if in.DNSName != "" {
		out.DNSName = presentName(start)
	}
	for _, z := range zones[i:end] {
		out.HostedZones = append(out.HostedZones, hostedZone(z))
	}
	if end < len(zones) {
		out.IsTruncated, out.NextDNSName, out.NextHostedZoneID = true, presentName(zones[end].Name), zones[end].ID
	}
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
