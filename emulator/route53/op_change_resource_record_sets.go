package route53

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
)

// ChangeResourceRecordSetsInput is the ChangeResourceRecordSetsRequest document.
type ChangeResourceRecordSetsInput struct {
	XMLName     xml.Name    `xml:"ChangeResourceRecordSetsRequest"`
	ChangeBatch ChangeBatch `xml:"ChangeBatch"`
}

// ChangeBatch is a batch of changes, applied all or nothing.
type ChangeBatch struct {
	Comment string  `xml:"Comment"`
	Changes Changes `xml:"Changes"`
}

// Changes wraps the list of changes.
type Changes struct {
	Change []Change `xml:"Change"`
}

// Change is one change of a batch.
type Change struct {
	Action            string            `xml:"Action"`
	ResourceRecordSet ResourceRecordSet `xml:"ResourceRecordSet"`
}

// ChangeResourceRecordSetsOutput is the ChangeResourceRecordSetsResponse document.
type ChangeResourceRecordSetsOutput struct {
	XMLName xml.Name `xml:"ChangeResourceRecordSetsResponse"`
	xmlns
	ChangeInfo ChangeInfo `xml:"ChangeInfo"`
}

// maxChanges is the number of changes one batch may carry.
const maxChanges = 1000

// ChangeResourceRecordSets applies a batch of CREATE, DELETE and UPSERT changes to a zone, all
// or nothing: any invalid change refuses the whole batch with InvalidChangeBatch listing every
// problem, and the zone is left as it was.
func (s *Service) ChangeResourceRecordSets(rc *Request, id string, in *ChangeResourceRecordSetsInput) (*ChangeResourceRecordSetsOutput, error) {
	changes := in.ChangeBatch.Changes.Change
	if err := checkChanges(in); err != nil {
		return nil, err
	}
	z, err := s.zone(rc, id)
	if err != nil {
		return nil, err
	}
	ctx := policy.Context{}
	for _, ch := range changes {
		name, _ := normalizeName(ch.ResourceRecordSet.Name)
		ctx["route53:changeresourcerecordsetsnormalizedrecordnames"] = append(ctx["route53:changeresourcerecordsetsnormalizedrecordnames"], strings.TrimSuffix(name, "."))
		ctx["route53:changeresourcerecordsetsrecordtypes"] = append(ctx["route53:changeresourcerecordsetsrecordtypes"], ch.ResourceRecordSet.Type)
		ctx["route53:changeresourcerecordsetsactions"] = append(ctx["route53:changeresourcerecordsetsactions"], ch.Action)
	}
	if err := s.authorize(rc, "route53:ChangeResourceRecordSets", zoneARN(z.ID), ctx); err != nil {
		return nil, err
	}
	targets := s.aliasZones(rc, z.ID, changes)
	_, err = s.store.UpdateZone(z.ID, func(z *store.Zone) error {
		problems := apply(z, changes, targets)
		if len(problems) > 0 {
			return awsproto.Errorf("InvalidChangeBatch", "[%s]", strings.Join(problems, ", "))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ChangeResourceRecordSetsOutput{xmlns: ns, ChangeInfo: s.newChange(rc, in.ChangeBatch.Comment)}, nil
}

// checkChanges validates the batch's members as the API front end does (InvalidInput).
func checkChanges(in *ChangeResourceRecordSetsInput) error {
	changes := in.ChangeBatch.Changes.Change
	var c awsproto.Checks
	c.Length("changeBatch.comment", in.ChangeBatch.Comment, 0, 256)
	if len(changes) == 0 {
		c.AddNoValue("changeBatch.changes", "Member must have length greater than or equal to 1")
	}
	if len(changes) > maxChanges {
		c.AddNoValue("changeBatch.changes", fmt.Sprintf("Member must have length less than or equal to %d", maxChanges))
	}
	for i, ch := range changes {
		f := fmt.Sprintf("changeBatch.changes.%d.member.", i+1)
		r := ch.ResourceRecordSet
		c.Required(f+"action", ch.Action != "")
		c.Enum(f+"action", ch.Action, enumValues(types.ChangeAction("").Values()))
		c.Required(f+"resourceRecordSet.name", r.Name != "")
		c.Length(f+"resourceRecordSet.name", r.Name, 0, 1024)
		c.Required(f+"resourceRecordSet.type", r.Type != "")
		c.Enum(f+"resourceRecordSet.type", r.Type, enumValues(types.RRType("").Values()))
		c.Length(f+"resourceRecordSet.setIdentifier", r.SetIdentifier, 0, 128)
		if r.TTL != nil {
			c.Range(f+"resourceRecordSet.tTL", int(*r.TTL), 0, 2147483647)
		}
		if r.Weight != nil {
			c.Range(f+"resourceRecordSet.weight", int(*r.Weight), 0, 255)
		}
		if r.ResourceRecords != nil {
			if len(r.ResourceRecords.ResourceRecord) == 0 {
				c.AddNoValue(f+"resourceRecordSet.resourceRecords", "Member must have length greater than or equal to 1")
			}
			for j, v := range r.ResourceRecords.ResourceRecord {
				c.Length(fmt.Sprintf("%sresourceRecordSet.resourceRecords.%d.member.value", f, j+1), v.Value, 1, 4000)
			}
		}
		if r.Failover != "" {
			c.Enum(f+"resourceRecordSet.failover", r.Failover, enumValues(types.ResourceRecordSetFailover("").Values()))
		}
		if r.Region != "" {
			c.Enum(f+"resourceRecordSet.region", r.Region, enumValues(types.ResourceRecordSetRegion("").Values()))
		}
	}
	if err := c.ErrCode("InvalidInput"); err != nil {
		return err
	}
	for _, ch := range changes {
		r := ch.ResourceRecordSet
		data := 0
		if r.AliasTarget != nil {
			data++
		}
		if r.TTL != nil || r.ResourceRecords != nil {
			data++
		}
		if r.TrafficPolicyInstanceID != "" {
			data++
		}
		sid := "null"
		if r.SetIdentifier != "" {
			sid = r.SetIdentifier
		}
		where := fmt.Sprintf("Change with [Action=%s, Name=%s, Type=%s, SetIdentifier=%s]", ch.Action, r.Name, r.Type, sid)
		switch {
		case data == 0:
			return awsproto.Errorf("InvalidInput", "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in %s", where)
		case data > 1:
			return awsproto.Errorf("InvalidInput", "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in %s", where)
		case r.AliasTarget == nil && r.TrafficPolicyInstanceID == "" && (r.TTL == nil || r.ResourceRecords == nil):
			return awsproto.Errorf("InvalidInput", "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in %s", where)
		}
		rs := fromWire(r, "")
		if r.SetIdentifier != "" && !routing(rs) {
			return awsproto.Errorf("InvalidInput", "Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in %s", where)
		}
		if r.SetIdentifier == "" && routing(rs) {
			return awsproto.Errorf("InvalidInput", "Invalid request: Missing field 'SetIdentifier' in %s", where)
		}
	}
	return nil
}

// aliasZones reads the caller's zones that alias targets of the batch name, other than the zone
// being changed, before the store is locked for the change (apply runs under the store's lock,
// where reading another zone would deadlock).
func (s *Service) aliasZones(rc *Request, zoneID string, changes []Change) map[string]store.Zone {
	out := map[string]store.Zone{}
	for _, ch := range changes {
		a := ch.ResourceRecordSet.AliasTarget
		if a == nil {
			continue
		}
		id := strings.TrimPrefix(a.HostedZoneID, "/hostedzone/")
		if _, ok := out[id]; ok || id == zoneID {
			continue
		}
		if z, err := s.store.Zone(id); err == nil && z.Account == rc.Caller.Account {
			out[id] = z
		}
	}
	return out
}

// apply applies the changes to z in order and checks the zone's rules on the result; it returns
// every problem found, in AWS's words. targets are the other zones alias targets name.
func apply(z *store.Zone, changes []Change, targets map[string]store.Zone) []string {
	var problems []string
	seen := map[rrsetKey]string{} // the action of a record set's earlier change in the batch
	for _, ch := range changes {
		name, ok := normalizeName(ch.ResourceRecordSet.Name)
		if !ok {
			problems = append(problems, fmt.Sprintf("RRSet with DNS name %s is not a valid DNS name", ch.ResourceRecordSet.Name))
			continue
		}
		r := fromWire(ch.ResourceRecordSet, name)
		k := keyOf(r)
		// A record set may be changed once, or deleted and then written again (the update of
		// DELETE followed by CREATE that external-dns and older tools send).
		if prev, ok := seen[k]; ok && (prev != "DELETE" || ch.Action == "DELETE") {
			problems = append(problems, fmt.Sprintf("The request contains an invalid set of changes for a resource record set '%s %s'", r.Type, presentName(name)))
			continue
		}
		seen[k] = ch.Action
		if !inZone(name, z.Name) {
			problems = append(problems, fmt.Sprintf("RRSet with DNS name %s is not permitted in zone %s", presentName(name), presentName(z.Name)))
			continue
		}
		for _, v := range r.Values {
			if p := checkValue(r.Type, name, v); p != "" {
				problems = append(problems, p)
			}
		}
		if r.Alias != nil {
			if p := checkAlias(z, r, targets); p != "" {
				problems = append(problems, p)
			}
		}
		i := slices.IndexFunc(z.Records, func(x store.RecordSet) bool { return keyOf(x) == k })
		switch ch.Action {
		case "CREATE":
			if i >= 0 {
				problems = append(problems, fmt.Sprintf("Tried to create resource record set %s but it already exists", k.describe()))
				continue
			}
			z.Records = append(z.Records, r)
		case "UPSERT":
			if i >= 0 {
				z.Records[i] = r
			} else {
				z.Records = append(z.Records, r)
			}
		case "DELETE":
			switch {
			case i < 0:
				problems = append(problems, fmt.Sprintf("Tried to delete resource record set %s but it was not found", k.describe()))
				continue
			case !valuesEqual(z.Records[i], r):
				problems = append(problems, fmt.Sprintf("Tried to delete resource record set %s but the values provided do not match the current values", k.describe()))
				continue
			}
			z.Records = slices.Delete(z.Records, i, i+1)
		}
	}
	problems = append(problems, zoneRules(z, changes)...)
	slices.SortStableFunc(z.Records, compareRecords)
	return problems
}

// zoneRules checks what must hold of a zone after a batch: one SOA and an NS record set at the
// apex, no CNAME beside other data or at the apex, no DS at the apex, and record sets of one
// name and type either all with set identifiers or none.
func zoneRules(z *store.Zone, changes []Change) []string {
	var problems []string
	soa, ns := 0, 0
	byName := map[string][]store.RecordSet{}
	for _, r := range z.Records {
		byName[r.Name] = append(byName[r.Name], r)
		switch {
		case r.Type == "SOA" && r.Name == z.Name:
			soa++
		case r.Type == "SOA":
			problems = append(problems, fmt.Sprintf("RRSet of type SOA with DNS name %s is not permitted because SOA records are only permitted at the zone apex %s", presentName(r.Name), presentName(z.Name)))
		case r.Type == "NS" && r.Name == z.Name:
			ns++
		case r.Type == "CNAME" && r.Name == z.Name:
			problems = append(problems, fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted at apex in zone %s", presentName(r.Name), presentName(z.Name)))
		case r.Type == "DS" && r.Name == z.Name:
			problems = append(problems, fmt.Sprintf("RRSet of type DS with DNS name %s is not permitted at apex in zone %s", presentName(r.Name), presentName(z.Name)))
		case r.Type == "CNAME" && len(r.Values) > 1:
			problems = append(problems, fmt.Sprintf("RRSet of type CNAME with DNS name %s has more than one value", presentName(r.Name)))
		}
	}
	if soa != 1 {
		problems = append(problems, "A HostedZone must contain exactly one SOA record.")
	}
	if ns == 0 {
		problems = append(problems, "A HostedZone must contain at least one NS record for the zone itself.")
	}
	changed := map[string]bool{}
	for _, ch := range changes {
		n, _ := normalizeName(ch.ResourceRecordSet.Name)
		changed[n] = true
	}
	for name, sets := range byName {
		if !changed[name] {
			continue
		}
		if p := cnameConflict(name, sets, changes, z.Name); p != "" {
			problems = append(problems, p)
		}
		byType := map[string][2]int{} // with, without set identifier
		for _, r := range sets {
			n := byType[r.Type]
			if r.SetIdentifier != "" {
				n[0]++
			} else {
				n[1]++
			}
			byType[r.Type] = n
		}
		for typ, n := range byType {
			if n[0] > 0 && n[1] > 0 {
				problems = append(problems, fmt.Sprintf("RRSet with DNS name %s, type %s cannot be created because a non-routing RRSet with the same name and type exists, or the reverse",
					presentName(name), typ))
			}
		}
	}
	slices.Sort(problems)
	return problems
}

// cnameConflict reports a CNAME beside other record sets of a name the batch changed, in AWS's
// two texts: a CNAME the batch writes conflicts with the other records; another type the batch
// writes conflicts with the CNAME that exists.
func cnameConflict(name string, sets []store.RecordSet, changes []Change, zone string) string {
	hasCNAME := slices.ContainsFunc(sets, func(r store.RecordSet) bool { return r.Type == "CNAME" })
	if !hasCNAME || !slices.ContainsFunc(sets, func(r store.RecordSet) bool { return r.Type != "CNAME" }) {
		return ""
	}
	other := ""
	for _, ch := range changes {
		n, _ := normalizeName(ch.ResourceRecordSet.Name)
		if n != name || ch.Action == "DELETE" {
			continue
		}
		if ch.ResourceRecordSet.Type == "CNAME" {
			return fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted as it conflicts with other records with the same DNS name in zone %s",
				presentName(name), presentName(zone))
		}
		if other == "" {
			other = ch.ResourceRecordSet.Type
		}
	}
	if other == "" {
		return ""
	}
	return fmt.Sprintf("RRSet of type %s with DNS name %s is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone %s",
		other, presentName(name), presentName(zone))
}

// checkAlias checks an alias target that lies in z or in one of the caller's other zones
// (targets): the target must be in that zone and a record set of the same type must exist there.
// Targets in zones kms53 does not hold (CloudFront, load balancers...) are accepted as given.
func checkAlias(z *store.Zone, r store.RecordSet, targets map[string]store.Zone) string {
	target, ok := normalizeName(r.Alias.DNSName)
	if !ok {
		return fmt.Sprintf("Tried to create an alias that targets %s, type %s, but the DNS name is not valid", r.Alias.DNSName, r.Type)
	}
	tz := *z
	if r.Alias.HostedZoneID != z.ID {
		other, ok := targets[r.Alias.HostedZoneID]
		if !ok {
			return ""
		}
		tz = other
	}
	if !inZone(target, tz.Name) {
		return fmt.Sprintf("Tried to create an alias that targets %s, type %s in zone %s, but the alias target name does not lie within the target zone",
			presentName(target), r.Type, tz.ID)
	}
	for _, x := range tz.Records {
		if x.Name == target && x.Type == r.Type {
			return ""
		}
	}
	return fmt.Sprintf("Tried to create an alias that targets %s, type %s in zone %s, but that target was not found", presentName(target), r.Type, tz.ID)
}

// fromWire converts a request record set to the stored form; name is the normalized name.
func fromWire(r ResourceRecordSet, name string) store.RecordSet {
	out := store.RecordSet{
		Name: name, Type: r.Type, SetIdentifier: r.SetIdentifier, Weight: r.Weight, Region: r.Region,
		Failover: r.Failover, MultiValueAnswer: r.MultiValueAnswer, TTL: r.TTL, HealthCheckID: r.HealthCheckID,
		TrafficPolicyInstanceID: r.TrafficPolicyInstanceID,
	}
	if r.GeoLocation != nil {
		out.GeoLocation = &store.GeoLocation{ContinentCode: r.GeoLocation.ContinentCode, CountryCode: r.GeoLocation.CountryCode,
			SubdivisionCode: r.GeoLocation.SubdivisionCode}
	}
	if r.ResourceRecords != nil {
		for _, v := range r.ResourceRecords.ResourceRecord {
			out.Values = append(out.Values, v.Value)
		}
	}
	if r.AliasTarget != nil {
		dnsName, _ := normalizeName(r.AliasTarget.DNSName)
		if dnsName == "" {
			dnsName = r.AliasTarget.DNSName
		}
		out.Alias = &store.AliasTarget{HostedZoneID: strings.TrimPrefix(r.AliasTarget.HostedZoneID, "/hostedzone/"),
			DNSName: dnsName, EvaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth}
	}
	if r.CidrRoutingConfig != nil {
		out.CidrRouting = &store.CidrRouting{CollectionID: r.CidrRoutingConfig.CollectionID, LocationName: r.CidrRoutingConfig.LocationName}
	}
	if g := r.GeoProximityLocation; g != nil {
		out.GeoProximity = &store.GeoProximity{AWSRegion: g.AWSRegion, LocalZoneGroup: g.LocalZoneGroup, Bias: g.Bias}
		if g.Coordinates != nil {
			out.GeoProximity.Latitude, out.GeoProximity.Longitude = g.Coordinates.Latitude, g.Coordinates.Longitude
		}
	}
	return out
}
