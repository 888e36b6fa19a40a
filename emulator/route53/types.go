package route53

import (
	"strings"
	"time"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// Timestamp is a Route 53 timestamp: ISO 8601 UTC with milliseconds.
type Timestamp time.Time

// MarshalText writes t as 2017-03-27T17:48:16.751Z.
func (t Timestamp) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z")), nil
}

// xmlns is the namespace attribute every response root carries.
type xmlns struct {
	NS string `xml:"xmlns,attr"`
}

var ns = xmlns{NS: awsproto.Route53Namespace}

// HostedZone is the HostedZone structure.
type HostedZone struct {
	ID                     string           `xml:"Id"`
	Name                   string           `xml:"Name"`
	CallerReference        string           `xml:"CallerReference"`
	Config                 HostedZoneConfig `xml:"Config"`
	ResourceRecordSetCount int64            `xml:"ResourceRecordSetCount"`
}

// HostedZoneConfig is a zone's comment and privacy (in requests and responses).
type HostedZoneConfig struct {
	Comment     string `xml:"Comment,omitempty"`
	PrivateZone bool   `xml:"PrivateZone"`
}

// ChangeInfo is the ChangeInfo structure.
type ChangeInfo struct {
	ID          string    `xml:"Id"`
	Status      string    `xml:"Status"`
	SubmittedAt Timestamp `xml:"SubmittedAt"`
	Comment     string    `xml:"Comment,omitempty"`
}

// DelegationSet is a zone's name servers.
type DelegationSet struct {
	NameServers []string `xml:"NameServers>NameServer"`
}

// delegationSet renders a zone's name servers as Route 53 lists them: without the trailing dot
// (the apex NS record values keep it).
func delegationSet(z store.Zone) *DelegationSet {
	d := &DelegationSet{}
	for _, n := range z.NameServers {
		d.NameServers = append(d.NameServers, strings.TrimSuffix(n, "."))
	}
	return d
}

// VPC is a VPC of a private hosted zone.
type VPC struct {
	VPCRegion string `xml:"VPCRegion,omitempty"`
	VPCID     string `xml:"VPCId,omitempty"`
}

// ResourceRecordSet is the ResourceRecordSet structure, in requests and responses.
type ResourceRecordSet struct {
	Name                    string                `xml:"Name"`
	Type                    string                `xml:"Type"`
	SetIdentifier           string                `xml:"SetIdentifier,omitempty"`
	Weight                  *int64                `xml:"Weight,omitempty"`
	Region                  string                `xml:"Region,omitempty"`
	GeoLocation             *GeoLocation          `xml:"GeoLocation,omitempty"`
	Failover                string                `xml:"Failover,omitempty"`
	MultiValueAnswer        *bool                 `xml:"MultiValueAnswer,omitempty"`
	TTL                     *int64                `xml:"TTL,omitempty"`
	ResourceRecords         *ResourceRecords      `xml:"ResourceRecords,omitempty"`
	AliasTarget             *AliasTarget          `xml:"AliasTarget,omitempty"`
	HealthCheckID           string                `xml:"HealthCheckId,omitempty"`
	TrafficPolicyInstanceID string                `xml:"TrafficPolicyInstanceId,omitempty"`
	CidrRoutingConfig       *CidrRoutingConfig    `xml:"CidrRoutingConfig,omitempty"`
	GeoProximityLocation    *GeoProximityLocation `xml:"GeoProximityLocation,omitempty"`
}

// ResourceRecords wraps the values of a record set.
type ResourceRecords struct {
	ResourceRecord []ResourceRecord `xml:"ResourceRecord"`
}

// ResourceRecord is one value.
type ResourceRecord struct {
	Value string `xml:"Value"`
}

// GeoLocation is geolocation routing.
type GeoLocation struct {
	ContinentCode   string `xml:"ContinentCode,omitempty"`
	CountryCode     string `xml:"CountryCode,omitempty"`
	SubdivisionCode string `xml:"SubdivisionCode,omitempty"`
}

// AliasTarget is an alias record's target.
type AliasTarget struct {
	HostedZoneID         string `xml:"HostedZoneId"`
	DNSName              string `xml:"DNSName"`
	EvaluateTargetHealth bool   `xml:"EvaluateTargetHealth"`
}

// CidrRoutingConfig is CIDR routing.
type CidrRoutingConfig struct {
	CollectionID string `xml:"CollectionId"`
	LocationName string `xml:"LocationName"`
}

// GeoProximityLocation is geoproximity routing.
type GeoProximityLocation struct {
	AWSRegion      string       `xml:"AWSRegion,omitempty"`
	LocalZoneGroup string       `xml:"LocalZoneGroup,omitempty"`
	Coordinates    *Coordinates `xml:"Coordinates,omitempty"`
	Bias           *int64       `xml:"Bias,omitempty"`
}

// Coordinates are a latitude and longitude.
type Coordinates struct {
	Latitude  string `xml:"Latitude"`
	Longitude string `xml:"Longitude"`
}

// hostedZone renders a stored zone.
func hostedZone(z store.Zone) HostedZone {
	return HostedZone{
		ID:                     "/hostedzone/" + z.ID,
		Name:                   presentName(z.Name),
		CallerReference:        z.CallerReference,
		Config:                 HostedZoneConfig{Comment: z.Comment, PrivateZone: z.Private},
		ResourceRecordSetCount: int64(len(z.Records)),
	}
}

// recordSet renders a stored record set.
func recordSet(r store.RecordSet) ResourceRecordSet {
	out := ResourceRecordSet{
		Name: presentName(r.Name), Type: r.Type, SetIdentifier: r.SetIdentifier, Weight: r.Weight,
		Region: r.Region, Failover: r.Failover, MultiValueAnswer: r.MultiValueAnswer, TTL: r.TTL,
		HealthCheckID: r.HealthCheckID, TrafficPolicyInstanceID: r.TrafficPolicyInstanceID,
	}
	if r.GeoLocation != nil {
		out.GeoLocation = &GeoLocation{r.GeoLocation.ContinentCode, r.GeoLocation.CountryCode, r.GeoLocation.SubdivisionCode}
	}
	if len(r.Values) > 0 {
		out.ResourceRecords = &ResourceRecords{}
		for _, v := range r.Values {
			out.ResourceRecords.ResourceRecord = append(out.ResourceRecords.ResourceRecord, ResourceRecord{v})
		}
	}
	if r.Alias != nil {
		out.AliasTarget = &AliasTarget{r.Alias.HostedZoneID, presentName(r.Alias.DNSName), r.Alias.EvaluateTargetHealth}
	}
	if r.CidrRouting != nil {
		out.CidrRoutingConfig = &CidrRoutingConfig{r.CidrRouting.CollectionID, r.CidrRouting.LocationName}
	}
	if g := r.GeoProximity; g != nil {
		out.GeoProximityLocation = &GeoProximityLocation{AWSRegion: g.AWSRegion, LocalZoneGroup: g.LocalZoneGroup, Bias: g.Bias}
		if g.Latitude != "" || g.Longitude != "" {
			out.GeoProximityLocation.Coordinates = &Coordinates{g.Latitude, g.Longitude}
		}
	}
	return out
}
