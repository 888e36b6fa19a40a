package route53

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// CreateHostedZoneInput is the CreateHostedZoneRequest document.
type CreateHostedZoneInput struct {
	XMLName          xml.Name          `xml:"CreateHostedZoneRequest"`
	Name             string            `xml:"Name"`
	VPC              *VPC              `xml:"VPC"`
	CallerReference  string            `xml:"CallerReference"`
	HostedZoneConfig *HostedZoneConfig `xml:"HostedZoneConfig"`
	DelegationSetID  string            `xml:"DelegationSetId"`
}

// CreateHostedZoneOutput is the CreateHostedZoneResponse document.
type CreateHostedZoneOutput struct {
	XMLName xml.Name `xml:"CreateHostedZoneResponse"`
	xmlns
	HostedZone    HostedZone     `xml:"HostedZone"`
	ChangeInfo    ChangeInfo     `xml:"ChangeInfo"`
	DelegationSet *DelegationSet `xml:"DelegationSet,omitempty"`
	VPC           *VPC           `xml:"VPC,omitempty"`
}

var vpcIDPattern = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)

// CreateHostedZone creates a public zone (with SOA and NS records and four name servers) or, with
// a VPC, a private one. Caller references are never reusable in an account.
func (s *Service) CreateHostedZone(rc *Request, in *CreateHostedZoneInput) (*CreateHostedZoneOutput, error) {
	var c awsproto.Checks
	c.Required("name", in.Name != "")
	c.Length("name", in.Name, 1, 1024)
	c.Required("callerReference", in.CallerReference != "")
	if in.CallerReference != "" {
		c.Length("callerReference", in.CallerReference, 1, 128)
	}
	if in.HostedZoneConfig != nil {
		c.Length("hostedZoneConfig.comment", in.HostedZoneConfig.Comment, 0, 256)
	}
	if in.VPC != nil {
		c.Length("vPC.vPCId", in.VPC.VPCID, 0, 1024)
		c.Enum("vPC.vPCRegion", in.VPC.VPCRegion, enumValues(types.VPCRegion("").Values()))
	}
	if err := c.ErrCode("InvalidInput"); err != nil {
		return nil, err
	}
	name, ok := normalizeName(in.Name)
	if !ok || name == "." {
		// UNVERIFIED text; the code is the model's.
		return nil, awsproto.Errorf("InvalidDomainName", "%s is not a valid domain name.", in.Name)
	}
	if in.DelegationSetID != "" {
		return nil, awsproto.Errorf("NoSuchDelegationSet", "A reusable delegation set with the specified ID %s does not exist.", in.DelegationSetID)
	}
	private := in.VPC != nil
	if in.HostedZoneConfig != nil && in.HostedZoneConfig.PrivateZone && !private {
		return nil, awsproto.Errorf("InvalidInput", "A private hosted zone needs a VPC: specify VPCId and VPCRegion.")
	}
	if private && (in.VPC.VPCRegion == "" || !vpcIDPattern.MatchString(in.VPC.VPCID)) {
		return nil, awsproto.Errorf("InvalidVPCId", "The VPC ID is invalid.")
	}
	if err := s.authorize(rc, "route53:CreateHostedZone", "*", nil); err != nil {
		return nil, err
	}

	z := store.Zone{
		ID:              "Z" + s.ids.Alnum(20),
		Account:         rc.Caller.Account,
		Name:            name,
		CallerReference: in.CallerReference,
		Private:         private,
		CreatedAt:       s.now(),
	}
	if in.HostedZoneConfig != nil {
		z.Comment = in.HostedZoneConfig.Comment
	}
	if private {
		z.VPCs = []store.VPC{{Region: in.VPC.VPCRegion, ID: in.VPC.VPCID}}
	}
	z.NameServers = s.nameServers(private)
	z.Records = apexRecords(z)
	if err := s.store.CreateZone(z); errors.Is(err, store.ErrExists) {
		return nil, awsproto.ErrorStatus(http.StatusConflict, "HostedZoneAlreadyExists",
			"A hosted zone has already been created with the specified caller reference.")
	} else if err != nil {
		return nil, err
	}
	out := &CreateHostedZoneOutput{xmlns: ns, HostedZone: hostedZone(z), ChangeInfo: s.newChange(rc, "")}
	if private {
		out.VPC = in.VPC
	} else {
		out.DelegationSet = delegationSet(z)
	}
	return out, nil
}

// nameServers draws the four name servers of a new zone's delegation set, as Route 53 spreads
// them over four top-level domains. Private zones use Route 53's VPC resolver names.
func (s *Service) nameServers(private bool) []string {
	if private {
		return []string{"ns-0.awsdns-00.com.", "ns-512.awsdns-00.net.", "ns-1024.awsdns-00.org.", "ns-1536.awsdns-00.co.uk."}
	}
	var out []string
	for i, tld := range []string{"com", "net", "org", "co.uk"} {
		n := 0
		for _, ch := range s.ids.Alnum(3) {
			n = n*36 + int(ch)
		}
		// Route 53's servers are numbered per TLD in blocks of 512, and the awsdns-NN domain is
		// the number within its block divided by 8.
		num := i*512 + n%512
		out = append(out, fmt.Sprintf("ns-%d.awsdns-%02d.%s.", num, n%512/8, tld))
	}
	return out
}

// apexRecords are the SOA and NS record sets Route 53 puts in a new zone.
func apexRecords(z store.Zone) []store.RecordSet {
	soaTTL, nsTTL := int64(900), int64(172800)
	return []store.RecordSet{
		{Name: z.Name, Type: "NS", TTL: &nsTTL, Values: append([]string(nil), z.NameServers...)},
		{Name: z.Name, Type: "SOA", TTL: &soaTTL,
			Values: []string{z.NameServers[0] + " awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}},
	}
}

// enumValues converts SDK enum values to strings.
func enumValues[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
