package emulator_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/emulator/auth"
)

func TestRoute53ZoneErrors(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone

	t.Run("NoSuchHostedZone", func(t *testing.T) {
		t.Parallel()
		for _, call := range []func(id *string) error{
			func(id *string) error {
				_, err := c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: id})
				return err
			},
			func(id *string) error {
				_, err := c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: id})
				return err
			},
			func(id *string) error {
				_, err := c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: id})
				return err
			},
			func(id *string) error {
				_, err := c.ChangeResourceRecordSets(ctx, changeBatch(id, create(aRecord("www.example.com.", 60, "192.0.2.1"))))
				return err
			},
			func(id *string) error {
				_, err := c.UpdateHostedZoneComment(ctx, &route53.UpdateHostedZoneCommentInput{Id: id, Comment: aws.String("x")})
				return err
			},
		} {
			wantNoSuchHostedZone(t, call(aws.String("/hostedzone/Z0000000000000000000A")), "Z0000000000000000000A")
		}
	})
	t.Run("HostedZoneAlreadyExists", func(t *testing.T) {
		t.Parallel()
		in := &route53.CreateHostedZoneInput{Name: aws.String("other.example"), CallerReference: aws.String("reused")}
		first := need(c.CreateHostedZone(ctx, in))(t)
		const msg = "A hosted zone has already been created with the specified caller reference."
		_, err := c.CreateHostedZone(ctx, in)
		if e := wantStatusErr[*types.HostedZoneAlreadyExists](t, err, http.StatusConflict); e.ErrorMessage() != msg {
			t.Errorf("message = %q, want %q", e.ErrorMessage(), msg)
		}
		// The reference stays used after the zone is gone.
		need(c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: first.HostedZone.Id}))(t)
		_, err = c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("third.example"), CallerReference: aws.String("reused")})
		wantStatusErr[*types.HostedZoneAlreadyExists](t, err, http.StatusConflict)
	})
	t.Run("InvalidDomainName", func(t *testing.T) {
		t.Parallel()
		for i, name := range []string{"bad..example.com", ".", strings.Repeat("a", 64) + ".example", strings.Repeat("abcdefgh.", 29) + "com"} {
			_, err := c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(name), CallerReference: aws.String(fmt.Sprint("bad-", i))})
			// UNVERIFIED text: the code is the model's.
			wantErrContaining[*types.InvalidDomainName](t, err, name)
		}
		_, err := c.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{DNSName: aws.String("a..b")})
		asErr[*types.InvalidDomainName](t, err)
	})
	t.Run("InvalidVPCId", func(t *testing.T) {
		t.Parallel()
		for _, vpc := range []*types.VPC{
			{VPCId: aws.String("not-a-vpc"), VPCRegion: types.VPCRegionUsEast1},
			{VPCId: aws.String("vpc-0123456789abcdef0")},
		} {
			_, err := c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("private.example"),
				CallerReference: aws.String("vpc-" + aws.ToString(vpc.VPCId) + string(vpc.VPCRegion)), VPC: vpc})
			wantErr[*types.InvalidVPCId](t, err, "The VPC ID is invalid.")
		}
	})
	t.Run("InvalidInput", func(t *testing.T) {
		t.Parallel()
		long := strings.Repeat("Z", 33)
		_, err := c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(long)})
		wantErrContaining[*types.InvalidInput](t, err, "Value '"+long+"' at", "Member must have length less than or equal to 32")
		_, err = c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(long)})
		asErr[*types.InvalidInput](t, err)
		_, err = c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id,
			StartRecordName: aws.String("example.com."), StartRecordType: types.RRType("BOGUS")})
		wantErrContaining[*types.InvalidInput](t, err, "Value 'BOGUS' at 'type' failed to satisfy constraint: Member must satisfy enum value set")
		_, err = c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("x.example"), CallerReference: aws.String(strings.Repeat("r", 129))})
		wantErrContaining[*types.InvalidInput](t, err, "at 'callerReference' failed to satisfy constraint: Member must have length less than or equal to 128")
	})
	t.Run("NoSuchChange", func(t *testing.T) {
		t.Parallel()
		_, err := c.GetChange(ctx, &route53.GetChangeInput{Id: aws.String("/change/C0000000000000000000A")})
		// UNVERIFIED text (AWS-BEHAVIOUR §2.3): code, status and the id.
		e := wantStatusErr[*types.NoSuchChange](t, err, http.StatusNotFound)
		if !strings.Contains(e.ErrorMessage(), "C0000000000000000000A") {
			t.Errorf("message = %q, want the change id", e.ErrorMessage())
		}
	})
}

// TestRoute53ChangeBatchErrors checks the typed errors and AWS's texts of refused change batches.
// The emulator sends InvalidChangeBatch in the wrapped <ErrorResponse> form, for which the SDK
// fills Message with the bracketed list of problems and leaves Messages empty.
func TestRoute53ChangeBatchErrors(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	www := aRecord("www.example.com.", 60, "192.0.2.1")
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(www),
		create(rrset("alias.example.com.", types.RRTypeCname, 60, "elsewhere.example.net.")))))(t)
	apex := allRecords(t, c, z.Id)[:2] // NS, SOA
	noTTL := types.ResourceRecordSet{Name: aws.String("x.example.com."), Type: types.RRTypeA,
		ResourceRecords: []types.ResourceRecord{{Value: aws.String("192.0.2.1")}}}
	wrongTTL := www
	wrongTTL.TTL = aws.Int64(61)

	tests := []struct {
		name    string
		changes []types.Change
		check   func(t *testing.T, err error)
	}{
		{"create an existing record", []types.Change{create(www)}, batchError(
			"[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists]")},
		{"delete a missing record", []types.Change{del(aRecord("nope.example.com.", 60, "192.0.2.1"))}, batchError(
			"[Tried to delete resource record set [name='nope.example.com.', type='A'] but it was not found]")},
		{"delete with other values", []types.Change{del(aRecord("www.example.com.", 60, "192.0.2.2"))}, batchError(
			"[Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values]")},
		{"delete with another TTL", []types.Change{del(wrongTTL)}, batchError(
			"[Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values]")},
		{"name outside the zone", []types.Change{create(aRecord("x.", 60, "192.0.2.1"))}, batchError(
			"[RRSet with DNS name x. is not permitted in zone example.com.]")},
		{"name in a sibling zone", []types.Change{create(aRecord("www.example.org", 60, "192.0.2.1"))}, batchError(
			"[RRSet with DNS name www.example.org. is not permitted in zone example.com.]")},
		{"CNAME where an A exists", []types.Change{create(rrset("www.example.com.", types.RRTypeCname, 60, "elsewhere.example.net."))}, batchError(
			"[RRSet of type CNAME with DNS name www.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com.]")},
		{"TXT where a CNAME exists", []types.Change{create(rrset("alias.example.com.", types.RRTypeTxt, 60, `"x"`))}, batchError(
			"[RRSet of type TXT with DNS name alias.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.]")},
		{"CNAME at the apex", []types.Change{create(rrset("example.com.", types.RRTypeCname, 60, "elsewhere.example.net."))}, batchErrorContaining(
			"RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.")},
		{"DS at the apex", []types.Change{create(rrset("example.com.", types.RRTypeDs, 60, "12345 13 2 "+strings.Repeat("ab", 32)))}, batchErrorContaining(
			"RRSet of type DS with DNS name example.com. is not permitted")}, // UNVERIFIED ending
		{"delete the apex SOA", []types.Change{del(apex[1])}, batchError("[A HostedZone must contain exactly one SOA record.]")},
		{"delete the apex NS", []types.Change{del(apex[0])}, batchError("[A HostedZone must contain at least one NS record for the zone itself.]")},
		{"bad IPv4 address", []types.Change{create(aRecord("bad.example.com.", 60, "192.0.2.256"))}, batchError(
			"[Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '192.0.2.256'']")},
		{"IPv6 address in an A record", []types.Change{create(aRecord("bad.example.com.", 60, "2001:db8::1"))}, batchErrorContaining("ARRDATAIllegalIPv4Address")},
		{"bad IPv6 address", []types.Change{create(rrset("bad.example.com.", types.RRTypeAaaa, 60, "192.0.2.1"))}, batchErrorContaining("AAAARRDATAIllegalIPv6Address")},
		{"unquoted TXT", []types.Change{create(rrset("t.example.com.", types.RRTypeTxt, 60, "hello world"))}, batchError(
			"[Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with 'hello world'']")},
		{"bad MX", []types.Change{create(rrset("example.com.", types.RRTypeMx, 60, "mail.example.com."))}, batchErrorContaining(
			"Invalid Resource Record: 'FATAL problem: ", "encountered with 'mail.example.com.'")},
		{"two problems", []types.Change{create(www), create(aRecord("y.", 60, "192.0.2.1"))}, batchError(
			"[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists, RRSet with DNS name y. is not permitted in zone example.com.]")},
		{"one record set twice", []types.Change{create(aRecord("d.example.com.", 60, "192.0.2.1")), upsert(aRecord("d.example.com.", 60, "192.0.2.2"))},
			batchErrorContaining("d.example.com.")},
		{"no TTL", []types.Change{create(noTTL)}, func(t *testing.T, err error) {
			wantErr[*types.InvalidInput](t, err, "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=x.example.com., Type=A, SetIdentifier=null]")
		}},
		{"unknown record type", []types.Change{create(rrset("x.example.com.", types.RRType("BOGUS"), 60, "x"))}, func(t *testing.T, err error) {
			wantErrContaining[*types.InvalidInput](t, err, "Value 'BOGUS' at 'changeBatch.changes.1.member.resourceRecordSet.type' failed to satisfy constraint: Member must satisfy enum value set: [")
		}},
		{"unknown action", []types.Change{{Action: types.ChangeAction("REPLACE"), ResourceRecordSet: &www}}, func(t *testing.T, err error) {
			wantErrContaining[*types.InvalidInput](t, err, "Value 'REPLACE' at 'changeBatch.changes.1.member.action'")
		}},
		{"negative TTL", []types.Change{create(aRecord("x.example.com.", -1, "192.0.2.1"))}, func(t *testing.T, err error) {
			wantErrContaining[*types.InvalidInput](t, err, "Member must have value greater than or equal to 0")
		}},
	}
	before := describeSets(allRecords(t, c, z.Id))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, tt.changes...))
			if err == nil {
				t.Fatal("the batch was accepted")
			}
			tt.check(t, err)
		})
	}
	t.Cleanup(func() {
		if after := describeSets(allRecords(t, c, z.Id)); after != before {
			t.Errorf("refused batches changed the zone:\n%s\nwas:\n%s", after, before)
		}
	})
}

// batchError checks an InvalidChangeBatch with exactly msg (the SDK's Message of the wrapped form).
func batchError(msg string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		e := wantErr[*types.InvalidChangeBatch](t, err, msg)
		if len(e.Messages) != 0 {
			t.Errorf("Messages = %q, want none from the wrapped error form", e.Messages)
		}
	}
}

// batchErrorContaining checks an InvalidChangeBatch whose message contains each of parts.
func batchErrorContaining(parts ...string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		wantErrContaining[*types.InvalidChangeBatch](t, err, parts...)
	}
}

// Access keys of the Route 53 identities.
const (
	dnsAdminKey  = "AKIADNSADMIN0000001"
	dnsListerKey = "AKIADNSLISTER000001"
	dnsNoNSKey   = "AKIADNSNONS00000001"
)

// route53Identities are a Route 53 admin, a user who may only list zones, and a user whose
// identity policy denies changes that touch NS record sets.
var route53Identities = []auth.Identity{
	{AccessKeyID: dnsAdminKey, SecretAccessKey: "dnsadmin-secret", ARN: "arn:aws:iam::111122223333:user/dnsadmin",
		Policies: []auth.IdentityPolicy{{Name: "dns", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"route53:*","Resource":"*"}]}`}}},
	{AccessKeyID: dnsListerKey, SecretAccessKey: "lister-secret", ARN: "arn:aws:iam::111122223333:user/lister",
		Policies: []auth.IdentityPolicy{{Name: "list", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"route53:ListHostedZones","Resource":"*"}]}`}}},
	{AccessKeyID: dnsNoNSKey, SecretAccessKey: "nons-secret", ARN: "arn:aws:iam::111122223333:user/nons",
		Policies: []auth.IdentityPolicy{
			{Name: "dns", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"route53:*","Resource":"*"}]}`},
			{Name: "no-ns", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"route53:ChangeResourceRecordSets","Resource":"*",
				"Condition":{"ForAnyValue:StringEquals":{"route53:ChangeResourceRecordSetsRecordTypes":"NS"}}}]}`},
		}},
}

// wantAccessDenied asserts Route 53's AccessDenied (HTTP 403; not modeled, so a smithy.APIError)
// with exactly msg.
func wantAccessDenied(t *testing.T, err error, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want AccessDenied", err)
	}
	if ae.ErrorCode() != "AccessDenied" || ae.ErrorMessage() != msg {
		t.Errorf("error = %s: %q\nwant AccessDenied: %q", ae.ErrorCode(), ae.ErrorMessage(), msg)
	}
	wantHTTPStatus(t, err, http.StatusForbidden)
}

func TestRoute53Authorization(t *testing.T) {
	t.Parallel()
	env := newRoute53Env(t, emulator.Options{Identities: route53Identities})
	ctx := context.Background()
	admin := env.Route53(dnsAdminKey, "x", defaultRegion)
	lister := env.Route53(dnsListerKey, "x", defaultRegion)
	z := createZone(t, admin, "example.com").HostedZone
	id := zoneID(z)

	t.Run("list-only user", func(t *testing.T) {
		t.Parallel()
		if out := need(lister.ListHostedZones(ctx, &route53.ListHostedZonesInput{}))(t); !slices.Contains(zoneNames(out.HostedZones), "example.com.") {
			t.Errorf("ListHostedZones = %v, want example.com. among them", zoneNames(out.HostedZones))
		}
		_, err := lister.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("denied.example"), CallerReference: aws.String("denied")})
		wantAccessDenied(t, err, "User: arn:aws:iam::111122223333:user/lister is not authorized to perform: route53:CreateHostedZone on resource: * "+
			"because no identity-based policy allows the route53:CreateHostedZone action")
		_, err = lister.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id})
		wantAccessDenied(t, err, "User: arn:aws:iam::111122223333:user/lister is not authorized to perform: route53:GetHostedZone on resource: arn:aws:route53:::hostedzone/"+id+" "+
			"because no identity-based policy allows the route53:GetHostedZone action")
		_, err = lister.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("www.example.com.", 60, "192.0.2.1"))))
		wantCodeStatus(t, err, "AccessDenied", http.StatusForbidden)
		_, err = lister.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: z.Id})
		wantCodeStatus(t, err, "AccessDenied", http.StatusForbidden)
		// A zone the user cannot see is still not found, not denied.
		_, err = lister.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("ZNOSUCHZONE")})
		wantNoSuchHostedZone(t, err, "ZNOSUCHZONE")
	})
	t.Run("deny NS changes by condition", func(t *testing.T) {
		t.Parallel()
		nons := env.Route53(dnsNoNSKey, "x", defaultRegion)
		zone := createZone(t, nons, "nons.example").HostedZone
		need(nons.ChangeResourceRecordSets(ctx, changeBatch(zone.Id, create(aRecord("www.nons.example.", 60, "192.0.2.1")))))(t)
		before := describeSets(allRecords(t, nons, zone.Id))
		for _, changes := range [][]types.Change{
			{create(rrset("sub.nons.example.", types.RRTypeNs, 60, "ns1.example.net."))},
			{create(aRecord("a.nons.example.", 60, "192.0.2.1")), create(rrset("sub.nons.example.", types.RRTypeNs, 60, "ns1.example.net."))},
		} {
			_, err := nons.ChangeResourceRecordSets(ctx, changeBatch(zone.Id, changes...))
			wantAccessDenied(t, err, "User: arn:aws:iam::111122223333:user/nons is not authorized to perform: route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/"+
				zoneID(zone)+" with an explicit deny in an identity-based policy")
		}
		if after := describeSets(allRecords(t, nons, zone.Id)); after != before {
			t.Errorf("denied batches changed the zone:\n%s", after)
		}
		need(nons.ChangeResourceRecordSets(ctx, changeBatch(zone.Id, upsert(aRecord("www.nons.example.", 60, "192.0.2.2")))))(t)
	})
}

// wantCodeStatus asserts an AWS error code and HTTP status.
func wantCodeStatus(t *testing.T, err error, code string, status int) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Errorf("error code = %s (%q), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	wantHTTPStatus(t, err, status)
	return ae
}

func TestRoute53StrictSigV4(t *testing.T) {
	t.Parallel()
	env := newRoute53Env(t, emulator.Options{SigV4: emulator.SigV4Strict, Identities: route53Identities, Clock: time.Now})
	ctx := context.Background()
	tests := []struct {
		name, key, secret, region string
		code                      string // empty: accepted
		msgPrefix                 string
	}{
		{"correct signature", dnsAdminKey, "dnsadmin-secret", defaultRegion, "", ""},
		{"signed for another region", dnsAdminKey, "dnsadmin-secret", "eu-west-1", "", ""},
		{"unknown access key", "AKIAUNKNOWN00000000", "whatever", defaultRegion, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"wrong secret", dnsAdminKey, "not-the-secret", defaultRegion, "SignatureDoesNotMatch",
			"The request signature we calculated does not match the signature you provided."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := env.Route53(tt.key, tt.secret, tt.region)
			_, err := c.ListHostedZones(ctx, &route53.ListHostedZonesInput{})
			if tt.code == "" {
				noErr(t, err)
				// A request with a body verifies too.
				createZone(t, c, tt.region+".example")
				return
			}
			if e := wantCodeStatus(t, err, tt.code, http.StatusForbidden); !strings.HasPrefix(e.ErrorMessage(), tt.msgPrefix) {
				t.Errorf("message = %q, want prefix %q", e.ErrorMessage(), tt.msgPrefix)
			}
		})
	}
}

// route53ErrorDoc is Route 53's XML error envelope.
type route53ErrorDoc struct {
	XMLName xml.Name `xml:"https://route53.amazonaws.com/doc/2013-04-01/ ErrorResponse"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// parseRoute53Error parses an error body, checking the parts every error must have.
func parseRoute53Error(body []byte) (*route53ErrorDoc, error) {
	var doc route53ErrorDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	switch {
	case doc.Error.Code == "":
		return nil, errors.New("no Code")
	case doc.Error.Message == "":
		return nil, errors.New("no Message")
	case doc.Error.Type != "Sender":
		return nil, errors.New("Type is " + doc.Error.Type + ", not Sender")
	case doc.RequestID == "":
		return nil, errors.New("no RequestId")
	}
	return &doc, nil
}

// TestRoute53BadInput sends malformed requests over raw HTTP: each gets an AWS-shaped XML client
// error and leaves the state unchanged.
func TestRoute53BadInput(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	id := zoneID(z)
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("www.example.com.", 60, "192.0.2.1")))))(t)
	const ns = `xmlns="https://route53.amazonaws.com/doc/2013-04-01/"`
	change := func(inner string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest ` + ns + `><ChangeBatch><Changes><Change><Action>CREATE</Action>` +
			`<ResourceRecordSet>` + inner + `</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`
	}
	good := change(`<Name>new.example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.9</Value></ResourceRecord></ResourceRecords>`)
	rrsetPath := "/2013-04-01/hostedzone/" + id + "/rrset"

	tests := []struct {
		name         string
		method, path string
		body         string
		status       int
		code         string
		msg          string // a part of the message
	}{
		{"truncated XML", "POST", rrsetPath, good[:len(good)-40], 400, "InvalidInput", "Invalid XML ; "},
		{"wrong root element", "POST", rrsetPath,
			`<ChangeBatch ` + ns + `><Changes><Change><Action>CREATE</Action></Change></Changes></ChangeBatch>`,
			400, "MalformedInput", "ChangeBatch is not valid, expected ChangeResourceRecordSetsRequest"},
		{"unknown element", "POST", rrsetPath, change(`<Name>new.example.com.</Name><Type>A</Type><Colour>red</Colour><TTL>60</TTL>` +
			`<ResourceRecords><ResourceRecord><Value>192.0.2.9</Value></ResourceRecord></ResourceRecords>`), 400, "InvalidInput", "Colour"},
		{"wrong-typed TTL", "POST", rrsetPath, change(`<Name>new.example.com.</Name><Type>A</Type><TTL>abc</TTL>` +
			`<ResourceRecords><ResourceRecord><Value>192.0.2.9</Value></ResourceRecord></ResourceRecords>`), 400, "InvalidInput", "Invalid XML ; "},
		{"element of another namespace", "POST", rrsetPath, strings.Replace(good, "<ChangeBatch>", `<ChangeBatch xmlns="urn:other">`, 1),
			400, "InvalidInput", "Invalid XML ; "},
		{"empty body", "POST", rrsetPath, "", 400, "InvalidInput", "Invalid XML ; "},
		{"33-character zone id", "POST", "/2013-04-01/hostedzone/" + strings.Repeat("Z", 33) + "/rrset", good,
			400, "InvalidInput", "Member must have length less than or equal to 32"},
		{"33-character zone id, GET", "GET", "/2013-04-01/hostedzone/" + strings.Repeat("Z", 33), "",
			400, "InvalidInput", "Member must have length less than or equal to 32"},
		{"unknown action", "GET", "/2013-04-01/hostedzone/" + id + "/frobnicate", "", 404, "UnknownOperationException", "/frobnicate"},
		{"unknown action at the top", "POST", "/2013-04-01/nosuchthing", good, 404, "UnknownOperationException", "/2013-04-01/nosuchthing"},
		{"method not served", "PUT", "/2013-04-01/hostedzone/" + id, "", 404, "UnknownOperationException", "PUT"},
		{"2 MiB body", "POST", rrsetPath, change(strings.Repeat(" ", 2<<20)), 413, "RequestEntityTooLargeException", "bytes"},
		{"bad maxitems", "GET", rrsetPath + "?maxitems=-1", "", 400, "InvalidInput", "maxItems"},
		{"CreateHostedZone with a text root", "POST", "/2013-04-01/hostedzone",
			`<CreateHostedZoneRequest ` + ns + `>text<Name>x.example</Name><CallerReference>raw-1</CallerReference></CreateHostedZoneRequest>`,
			400, "InvalidInput", "Invalid XML ; "},
		{"CreateHostedZone without a name", "POST", "/2013-04-01/hostedzone",
			`<CreateHostedZoneRequest ` + ns + `><CallerReference>raw-2</CallerReference></CreateHostedZoneRequest>`,
			400, "InvalidInput", "'name'"},
	}
	before := describeSets(allRecords(t, c, z.Id))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(ctx, tt.method, env.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/xml")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("HTTP status = %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/xml" {
				t.Errorf("Content-Type = %q, want text/xml", ct)
			}
			if !bytes.HasPrefix(body, []byte("<?xml")) {
				t.Errorf("body does not start with an XML declaration: %.80s", body)
			}
			doc, err := parseRoute53Error(body)
			if err != nil {
				t.Fatalf("error body: %v\n%s", err, body)
			}
			if doc.Error.Code != tt.code || !strings.Contains(doc.Error.Message, tt.msg) {
				t.Errorf("error = %s: %q, want %s containing %q", doc.Error.Code, doc.Error.Message, tt.code, tt.msg)
			}
			if rid := resp.Header.Get("X-Amz-Request-Id"); rid != doc.RequestID {
				t.Errorf("x-amz-request-id %q, RequestId %q: want the same", rid, doc.RequestID)
			}
		})
	}
	t.Cleanup(func() {
		if after := describeSets(allRecords(t, c, z.Id)); after != before {
			t.Errorf("malformed requests changed the zone:\n%s\nwas:\n%s", after, before)
		}
		zs := need(c.ListHostedZones(ctx, &route53.ListHostedZonesInput{}))(t).HostedZones
		if len(zs) != 1 {
			t.Errorf("zones after malformed requests: %v", zoneNames(zs))
		}
	})
}
