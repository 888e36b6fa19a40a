package route53

import (
	"encoding/xml"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ListResourceRecordSetsInput holds the query parameters of ListResourceRecordSets.
type ListResourceRecordSetsInput struct {
	Name       string
	Type       string
	Identifier string
	MaxItems   string
}

// ListResourceRecordSetsOutput is the ListResourceRecordSetsResponse document.
type ListResourceRecordSetsOutput struct {
	XMLName xml.Name `xml:"ListResourceRecordSetsResponse"`
	xmlns
	ResourceRecordSets   []ResourceRecordSet `xml:"ResourceRecordSets>ResourceRecordSet"`
	IsTruncated          bool                `xml:"IsTruncated"`
	NextRecordName       string              `xml:"NextRecordName,omitempty"`
	NextRecordType       string              `xml:"NextRecordType,omitempty"`
	NextRecordIdentifier string              `xml:"NextRecordIdentifier,omitempty"`
	MaxItems             string              `xml:"MaxItems"`
}

// ListResourceRecordSets lists a zone's record sets sorted by name (labels reversed), type and
// set identifier, from the given start point on, at most 300 a page.
func (s *Service) ListResourceRecordSets(rc *Request, id string, in *ListResourceRecordSetsInput) (*ListResourceRecordSetsOutput, error) {
	max, err := maxItems(in.MaxItems, 300)
	if err != nil {
		return nil, err
	}
	var c awsproto.Checks
	c.Enum("type", in.Type, enumValues(types.RRType("").Values()))
	c.Length("identifier", in.Identifier, 0, 128)
	if err := c.ErrCode("InvalidInput"); err != nil {
		return nil, err
	}
	if in.Type != "" && in.Name == "" {
		return nil, awsproto.Errorf("InvalidInput", "Invalid request: the type parameter requires the name parameter.")
	}
	if in.Identifier != "" && in.Type == "" {
		return nil, awsproto.Errorf("InvalidInput", "Invalid request: the identifier parameter requires the name and type parameters.")
	}
	from := store.RecordSet{Type: in.Type, SetIdentifier: in.Identifier}
	if in.Name != "" {
		n, ok := normalizeName(in.Name)
		if !ok {
			return nil, awsproto.Errorf("InvalidInput", "Invalid request: %s is not a valid DNS name.", in.Name)
		}
		from.Name = n
	}
	z, err := s.zone(rc, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(rc, "route53:ListResourceRecordSets", zoneARN(z.ID), nil); err != nil {
		return nil, err
	}
	start := 0
	if from.Name != "" {
		for start < len(z.Records) && compareRecords(z.Records[start], from) < 0 {
			start++
		}
	}
	end := min(start+max, len(z.Records))
	out := &ListResourceRecordSetsOutput{xmlns: ns, ResourceRecordSets: []ResourceRecordSet{}, MaxItems: strconv.Itoa(max)}
	for _, r := range z.Records[start:end] {
		out.ResourceRecordSets = append(out.ResourceRecordSets, recordSet(r))
	}
	if end < len(z.Records) {
		next := z.Records[end]
		out.IsTruncated, out.NextRecordName, out.NextRecordType, out.NextRecordIdentifier = true, presentName(next.Name), next.Type, next.SetIdentifier
	}
	return out, nil
}
