package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/kms53/kms53/emulator"
)

// newRoute53Env starts an emulator with opts for one test, filling in the harness's fixed clock
// (t0) and seeded identifier source where opts leaves them unset.
func newRoute53Env(t testing.TB, opts emulator.Options) *testEnv {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return t0 }
	}
	if opts.Rand == nil {
		opts.Rand = rand.NewChaCha8([32]byte{'r', '5', '3'})
	}
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testEnv{Server: srv, URL: hs.URL}
}

// R53 returns a Route 53 client of the default account.
func (e *testEnv) R53() *route53.Client {
	return e.Route53(defaultAccessKey, "kms53-test-secret", defaultRegion)
}

// Route53 returns a Route 53 client that signs with accessKey and secret for region. Retries are
// off, so every error surfaces at once.
func (e *testEnv) Route53(accessKey, secret, region string) *route53.Client {
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secret, ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return route53.NewFromConfig(cfg, func(o *route53.Options) { o.BaseEndpoint = aws.String(e.URL) })
}

// callerRefs makes caller references unique across the tests of the process.
var callerRefs atomic.Int64

// createZone creates a public hosted zone named name and returns the answer.
func createZone(t testing.TB, c *route53.Client, name string) *route53.CreateHostedZoneOutput {
	t.Helper()
	return need(c.CreateHostedZone(context.Background(), &route53.CreateHostedZoneInput{
		Name: aws.String(name), CallerReference: aws.String(fmt.Sprintf("ref-%d", callerRefs.Add(1))),
	}))(t)
}

// zoneID is a zone's id without the /hostedzone/ prefix.
func zoneID(z *types.HostedZone) string {
	return strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/")
}

// wantStatusErr asserts that err carries the AWS error E sent with HTTP status, and returns it.
func wantStatusErr[E smithy.APIError](t testing.TB, err error, status int) E {
	t.Helper()
	var got E
	if !errors.As(err, &got) {
		t.Fatalf("error = %v (%T), want %T", err, err, got)
	}
	wantHTTPStatus(t, err, status)
	return got
}

// wantHTTPStatus asserts the HTTP status of the response an error came with.
func wantHTTPStatus(t testing.TB, err error, status int) {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Errorf("error %v carries no HTTP response", err)
	} else if re.HTTPStatusCode() != status {
		t.Errorf("HTTP status = %d, want %d for %v", re.HTTPStatusCode(), status, err)
	}
}

// wantNoSuchHostedZone asserts NoSuchHostedZone (404) with AWS's text for id.
func wantNoSuchHostedZone(t testing.TB, err error, id string) {
	t.Helper()
	e := wantStatusErr[*types.NoSuchHostedZone](t, err, http.StatusNotFound)
	if want := "No hosted zone found with ID: " + id; e.ErrorMessage() != want {
		t.Errorf("NoSuchHostedZone message = %q, want %q", e.ErrorMessage(), want)
	}
}

// zoneNames lists the names of zones.
func zoneNames(zs []types.HostedZone) []string {
	out := make([]string, len(zs))
	for i, z := range zs {
		out[i] = aws.ToString(z.Name)
	}
	return out
}

func TestRoute53CreateHostedZone(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	out := need(c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String("Example.COM"), CallerReference: aws.String("create-1"),
		HostedZoneConfig: &types.HostedZoneConfig{Comment: aws.String("the zone")},
	}))(t)

	raw, _ := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response)
	if raw == nil {
		t.Fatal("no raw response in the result metadata")
	}
	id := zoneID(out.HostedZone)
	if raw.StatusCode != http.StatusCreated {
		t.Errorf("HTTP status = %d, want 201", raw.StatusCode)
	}
	if got, want := raw.Header.Get("Location"), "https://route53.amazonaws.com/2013-04-01/hostedzone/"+id; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	z := out.HostedZone
	if !strings.HasPrefix(aws.ToString(z.Id), "/hostedzone/Z") || len(id) > 32 {
		t.Errorf("Id = %q, want /hostedzone/Z... of at most 32 characters", aws.ToString(z.Id))
	}
	if aws.ToString(z.Name) != "example.com." {
		t.Errorf("Name = %q, want example.com.", aws.ToString(z.Name))
	}
	if aws.ToString(z.CallerReference) != "create-1" {
		t.Errorf("CallerReference = %q", aws.ToString(z.CallerReference))
	}
	if aws.ToInt64(z.ResourceRecordSetCount) != 2 {
		t.Errorf("ResourceRecordSetCount = %d, want 2", aws.ToInt64(z.ResourceRecordSetCount))
	}
	if z.Config == nil || z.Config.PrivateZone || aws.ToString(z.Config.Comment) != "the zone" {
		t.Errorf("Config = %+v, want a public zone commented %q", z.Config, "the zone")
	}
	if out.DelegationSet == nil || len(out.DelegationSet.NameServers) != 4 {
		t.Fatalf("DelegationSet = %+v, want 4 name servers", out.DelegationSet)
	}
	if out.VPC != nil {
		t.Errorf("VPC = %+v for a public zone", out.VPC)
	}
	ci := out.ChangeInfo
	if ci == nil || !strings.HasPrefix(aws.ToString(ci.Id), "/change/C") || ci.Status != types.ChangeStatusPending ||
		!aws.ToTime(ci.SubmittedAt).Equal(t0.Truncate(time.Millisecond)) {
		t.Errorf("ChangeInfo = %+v, want a PENDING /change/C... submitted at %v", ci, t0)
	}

	// A fresh zone holds exactly its NS and SOA record sets at the apex.
	sets := need(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id}))(t).ResourceRecordSets
	if len(sets) != 2 {
		t.Fatalf("record sets = %+v, want NS and SOA", sets)
	}
	ns, soa := sets[0], sets[1]
	if aws.ToString(ns.Name) != "example.com." || ns.Type != types.RRTypeNs || aws.ToString(soa.Name) != "example.com." || soa.Type != types.RRTypeSoa {
		t.Fatalf("record sets = %s %s, %s %s, want example.com. NS, example.com. SOA", aws.ToString(ns.Name), ns.Type, aws.ToString(soa.Name), soa.Type)
	}
	var nsValues []string
	for _, r := range ns.ResourceRecords {
		nsValues = append(nsValues, aws.ToString(r.Value))
	}
	var delegation []string // the delegation set lists name servers without the trailing dot
	for _, n := range out.DelegationSet.NameServers {
		delegation = append(delegation, n+".")
	}
	if !slices.Equal(nsValues, delegation) {
		t.Errorf("apex NS values = %v, want the delegation set %v", nsValues, out.DelegationSet.NameServers)
	}
	if len(soa.ResourceRecords) != 1 || !strings.HasPrefix(aws.ToString(soa.ResourceRecords[0].Value), delegation[0]+" ") {
		t.Errorf("SOA = %+v, want one value naming the first name server", soa.ResourceRecords)
	}

	// GetHostedZone returns the same zone and delegation set.
	got := need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id}))(t)
	if aws.ToString(got.HostedZone.Id) != aws.ToString(z.Id) || aws.ToString(got.HostedZone.Name) != "example.com." ||
		aws.ToInt64(got.HostedZone.ResourceRecordSetCount) != 2 {
		t.Errorf("GetHostedZone = %+v", got.HostedZone)
	}
	if got.DelegationSet == nil || !slices.Equal(got.DelegationSet.NameServers, out.DelegationSet.NameServers) || len(got.VPCs) != 0 {
		t.Errorf("GetHostedZone DelegationSet = %+v, VPCs = %+v", got.DelegationSet, got.VPCs)
	}
	// The bare id works as well as the prefixed one (the SDK strips the prefix either way).
	need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(id)}))(t)
}

func TestRoute53CreatePrivateHostedZone(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	vpc := &types.VPC{VPCId: aws.String("vpc-0123456789abcdef0"), VPCRegion: types.VPCRegionEuWest1}
	out := need(c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String("internal.example"), CallerReference: aws.String("private-1"), VPC: vpc,
		HostedZoneConfig: &types.HostedZoneConfig{PrivateZone: true},
	}))(t)
	if out.DelegationSet != nil {
		t.Errorf("DelegationSet = %+v, want none for a private zone", out.DelegationSet)
	}
	if out.VPC == nil || aws.ToString(out.VPC.VPCId) != "vpc-0123456789abcdef0" || out.VPC.VPCRegion != types.VPCRegionEuWest1 {
		t.Errorf("VPC = %+v", out.VPC)
	}
	if !out.HostedZone.Config.PrivateZone || aws.ToInt64(out.HostedZone.ResourceRecordSetCount) != 2 {
		t.Errorf("HostedZone = %+v, want a private zone with 2 record sets", out.HostedZone)
	}
	got := need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: out.HostedZone.Id}))(t)
	if got.DelegationSet != nil {
		t.Errorf("GetHostedZone DelegationSet = %+v, want none", got.DelegationSet)
	}
	if len(got.VPCs) != 1 || aws.ToString(got.VPCs[0].VPCId) != "vpc-0123456789abcdef0" || got.VPCs[0].VPCRegion != types.VPCRegionEuWest1 {
		t.Errorf("GetHostedZone VPCs = %+v", got.VPCs)
	}
	// Only the private zone is listed with hostedzonetype=PrivateHostedZone.
	createZone(t, c, "public.example")
	priv := need(c.ListHostedZones(ctx, &route53.ListHostedZonesInput{HostedZoneType: types.HostedZoneTypePrivateHostedZone}))(t)
	if names := zoneNames(priv.HostedZones); !slices.Equal(names, []string{"internal.example."}) {
		t.Errorf("private zones = %v", names)
	}
}

func TestRoute53ListHostedZonesPages(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	var want []string
	for i := range 7 {
		z := createZone(t, c, fmt.Sprintf("zone%d.example.", i))
		want = append(want, zoneID(z.HostedZone))
	}

	t.Run("by hand", func(t *testing.T) {
		t.Parallel()
		var got []string
		var marker *string
		for page := 0; ; page++ {
			out := need(c.ListHostedZones(ctx, &route53.ListHostedZonesInput{MaxItems: aws.Int32(3), Marker: marker}))(t)
			if aws.ToInt32(out.MaxItems) != 3 || aws.ToString(out.Marker) != aws.ToString(marker) {
				t.Errorf("page %d: MaxItems %d Marker %q, want 3 and %q", page, aws.ToInt32(out.MaxItems), aws.ToString(out.Marker), aws.ToString(marker))
			}
			for _, z := range out.HostedZones {
				got = append(got, zoneID(&z))
			}
			wantTruncated := len(got) < len(want)
			if out.IsTruncated != wantTruncated {
				t.Fatalf("page %d: IsTruncated = %v, want %v", page, out.IsTruncated, wantTruncated)
			}
			if !out.IsTruncated {
				if out.NextMarker != nil {
					t.Errorf("last page has NextMarker %q", aws.ToString(out.NextMarker))
				}
				break
			}
			if aws.ToString(out.NextMarker) != want[len(got)] {
				t.Errorf("page %d: NextMarker = %q, want the next zone %s", page, aws.ToString(out.NextMarker), want[len(got)])
			}
			marker = out.NextMarker
		}
		if !slices.Equal(got, want) {
			t.Errorf("zones = %v, want %v", got, want)
		}
	})
	t.Run("paginator", func(t *testing.T) {
		t.Parallel()
		var got []string
		pages := 0
		p := route53.NewListHostedZonesPaginator(c, &route53.ListHostedZonesInput{MaxItems: aws.Int32(2)})
		for p.HasMorePages() {
			out := need(p.NextPage(ctx))(t)
			pages++
			for _, z := range out.HostedZones {
				got = append(got, zoneID(&z))
			}
		}
		if pages != 4 || !slices.Equal(got, want) {
			t.Errorf("%d pages of %v, want 4 pages of %v", pages, got, want)
		}
	})
	t.Run("one page", func(t *testing.T) {
		t.Parallel()
		out := need(c.ListHostedZones(ctx, &route53.ListHostedZonesInput{}))(t)
		if out.IsTruncated || len(out.HostedZones) != len(want) || aws.ToInt32(out.MaxItems) != 100 {
			t.Errorf("IsTruncated %v, %d zones, MaxItems %d; want all 7 on one page of 100", out.IsTruncated, len(out.HostedZones), aws.ToInt32(out.MaxItems))
		}
	})
}

func TestRoute53ListHostedZonesByName(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	ids := map[string][]string{}
	// Created out of order; two zones share a name (Route 53 allows that).
	for _, name := range []string{"www.example.com.", "example.org.", "example.com.", "a.example.com.", "example.com.", "example.net."} {
		z := createZone(t, c, name)
		ids[name] = append(ids[name], zoneID(z.HostedZone))
	}
	slices.Sort(ids["example.com."])
	wantNames := []string{"example.com.", "example.com.", "a.example.com.", "www.example.com.", "example.net.", "example.org."}

	all := need(c.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{}))(t)
	if got := zoneNames(all.HostedZones); !slices.Equal(got, wantNames) {
		t.Errorf("zones by name = %v, want %v", got, wantNames)
	}
	if all.IsTruncated || all.NextDNSName != nil || all.NextHostedZoneId != nil {
		t.Errorf("one page: IsTruncated %v NextDNSName %v NextHostedZoneId %v", all.IsTruncated, all.NextDNSName, all.NextHostedZoneId)
	}
	if got := []string{zoneID(&all.HostedZones[0]), zoneID(&all.HostedZones[1])}; !slices.Equal(got, ids["example.com."]) {
		t.Errorf("zones of one name in id order: %v, want %v", got, ids["example.com."])
	}

	tests := []struct {
		name   string
		dns    string
		zoneID string
		want   []string
	}{
		{"from a name", "a.example.com", "", wantNames[2:]},
		{"from a name no zone has", "b.example.com.", "", wantNames[3:]},
		{"names compared case-insensitively", "EXAMPLE.NET", "", wantNames[4:]},
		{"from the second zone of a name", "example.com.", ids["example.com."][1], wantNames[1:]},
		{"past the last name", "zzz.", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := &route53.ListHostedZonesByNameInput{DNSName: aws.String(tt.dns)}
			if tt.zoneID != "" {
				in.HostedZoneId = aws.String(tt.zoneID)
			}
			out := need(c.ListHostedZonesByName(ctx, in))(t)
			if got := zoneNames(out.HostedZones); !slices.Equal(got, tt.want) {
				t.Errorf("zones = %v, want %v", got, tt.want)
			}
			if aws.ToString(out.HostedZoneId) != tt.zoneID {
				t.Errorf("HostedZoneId = %q, want %q echoed", aws.ToString(out.HostedZoneId), tt.zoneID)
			}
		})
	}

	t.Run("pages", func(t *testing.T) {
		t.Parallel()
		in := &route53.ListHostedZonesByNameInput{MaxItems: aws.Int32(2)}
		var got []string
		for page := 0; page < 10; page++ {
			out := need(c.ListHostedZonesByName(ctx, in))(t)
			got = append(got, zoneNames(out.HostedZones)...)
			if aws.ToInt32(out.MaxItems) != 2 {
				t.Errorf("MaxItems = %d, want 2", aws.ToInt32(out.MaxItems))
			}
			if !out.IsTruncated {
				if out.NextDNSName != nil || out.NextHostedZoneId != nil {
					t.Errorf("last page has NextDNSName %v NextHostedZoneId %v", out.NextDNSName, out.NextHostedZoneId)
				}
				break
			}
			if aws.ToString(out.NextDNSName) != wantNames[len(got)] {
				t.Errorf("NextDNSName = %q, want %q", aws.ToString(out.NextDNSName), wantNames[len(got)])
			}
			in = &route53.ListHostedZonesByNameInput{MaxItems: aws.Int32(2), DNSName: out.NextDNSName, HostedZoneId: out.NextHostedZoneId}
		}
		if !slices.Equal(got, wantNames) {
			t.Errorf("paged zones = %v, want %v", got, wantNames)
		}
	})
}

func TestRoute53GetHostedZoneCount(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	count := func() int64 {
		t.Helper()
		return aws.ToInt64(need(c.GetHostedZoneCount(ctx, &route53.GetHostedZoneCountInput{}))(t).HostedZoneCount)
	}
	if n := count(); n != 0 {
		t.Fatalf("count of a new emulator = %d", n)
	}
	a := createZone(t, c, "a.example.")
	createZone(t, c, "b.example.")
	if n := count(); n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
	need(c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: a.HostedZone.Id}))(t)
	if n := count(); n != 1 {
		t.Errorf("count after a delete = %d, want 1", n)
	}
	// Another account's count does not include this account's zones.
	other := env.Route53(otherRoot, "x", defaultRegion)
	if n := aws.ToInt64(need(other.GetHostedZoneCount(ctx, &route53.GetHostedZoneCountInput{}))(t).HostedZoneCount); n != 0 {
		t.Errorf("other account's count = %d, want 0", n)
	}
}

func TestRoute53UpdateHostedZoneComment(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	out := need(c.UpdateHostedZoneComment(ctx, &route53.UpdateHostedZoneCommentInput{Id: z.Id, Comment: aws.String("new comment")}))(t)
	if aws.ToString(out.HostedZone.Config.Comment) != "new comment" || aws.ToString(out.HostedZone.Id) != aws.ToString(z.Id) {
		t.Errorf("UpdateHostedZoneComment = %+v", out.HostedZone)
	}
	got := need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id}))(t).HostedZone
	if aws.ToString(got.Config.Comment) != "new comment" {
		t.Errorf("GetHostedZone comment = %q", aws.ToString(got.Config.Comment))
	}
	// No comment clears it.
	out = need(c.UpdateHostedZoneComment(ctx, &route53.UpdateHostedZoneCommentInput{Id: z.Id}))(t)
	if out.HostedZone.Config != nil && aws.ToString(out.HostedZone.Config.Comment) != "" {
		t.Errorf("comment after clearing = %q", aws.ToString(out.HostedZone.Config.Comment))
	}
	_, err := c.UpdateHostedZoneComment(ctx, &route53.UpdateHostedZoneCommentInput{Id: aws.String("ZNOSUCHZONE"), Comment: aws.String("x")})
	wantNoSuchHostedZone(t, err, "ZNOSUCHZONE")
	_, err = c.UpdateHostedZoneComment(ctx, &route53.UpdateHostedZoneCommentInput{Id: z.Id, Comment: aws.String(strings.Repeat("c", 257))})
	wantErrContaining[*types.InvalidInput](t, err, "Member must have length less than or equal to 256")
}

func TestRoute53DeleteHostedZone(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	www := aRecord("www.example.com.", 300, "192.0.2.1")
	txt := rrset("example.com.", types.RRTypeTxt, 300, `"v=spf1 -all"`)
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(www), create(txt))))(t)

	_, err := c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: z.Id})
	wantErr[*types.HostedZoneNotEmpty](t, err, "The specified hosted zone contains non-required resource record sets and so cannot be deleted.")
	need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id}))(t)

	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, del(www))))(t)
	_, err = c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: z.Id})
	asErr[*types.HostedZoneNotEmpty](t, err) // the apex TXT is not required either

	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, del(txt))))(t)
	out := need(c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: z.Id}))(t)
	if out.ChangeInfo == nil || out.ChangeInfo.Status != types.ChangeStatusPending || !strings.HasPrefix(aws.ToString(out.ChangeInfo.Id), "/change/") {
		t.Errorf("DeleteHostedZone ChangeInfo = %+v", out.ChangeInfo)
	}
	id := zoneID(z)
	_, err = c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id})
	wantNoSuchHostedZone(t, err, id)
	_, err = c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: z.Id})
	wantNoSuchHostedZone(t, err, id)
	_, err = c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id})
	wantNoSuchHostedZone(t, err, id)
	if zs := need(c.ListHostedZones(ctx, &route53.ListHostedZonesInput{}))(t).HostedZones; len(zs) != 0 {
		t.Errorf("zones after the delete = %v", zoneNames(zs))
	}
}

func TestRoute53GetChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	status := func(t *testing.T, c *route53.Client, id *string) types.ChangeStatus {
		t.Helper()
		return need(c.GetChange(ctx, &route53.GetChangeInput{Id: id}))(t).ChangeInfo.Status
	}

	t.Run("propagation delay", func(t *testing.T) {
		t.Parallel()
		env := newRoute53Env(t, emulator.Options{PropagationDelay: 60 * time.Second})
		c := env.R53()
		z := createZone(t, c, "example.com")
		out := need(c.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: z.HostedZone.Id,
			ChangeBatch: &types.ChangeBatch{Comment: aws.String("add www"), Changes: []types.Change{create(aRecord("www.example.com.", 60, "192.0.2.1"))}}}))(t)
		ci := out.ChangeInfo
		if ci.Status != types.ChangeStatusPending || aws.ToString(ci.Comment) != "add www" {
			t.Errorf("ChangeResourceRecordSets ChangeInfo = %+v, want PENDING with the batch comment", ci)
		}
		for _, id := range []*string{z.ChangeInfo.Id, ci.Id} {
			if s := status(t, c, id); s != types.ChangeStatusPending {
				t.Errorf("GetChange %s at once = %s, want PENDING", aws.ToString(id), s)
			}
		}
		env.Server.Advance(59 * time.Second)
		if s := status(t, c, ci.Id); s != types.ChangeStatusPending {
			t.Errorf("GetChange after 59s = %s, want PENDING", s)
		}
		env.Server.Advance(2 * time.Second)
		got := need(c.GetChange(ctx, &route53.GetChangeInput{Id: ci.Id}))(t).ChangeInfo
		if got.Status != types.ChangeStatusInsync || aws.ToString(got.Id) != aws.ToString(ci.Id) ||
			!aws.ToTime(got.SubmittedAt).Equal(aws.ToTime(ci.SubmittedAt)) || aws.ToString(got.Comment) != "add www" {
			t.Errorf("GetChange after 61s = %+v, want INSYNC, same id, time and comment", got)
		}
		// The bare id works too.
		if s := status(t, c, aws.String(strings.TrimPrefix(aws.ToString(z.ChangeInfo.Id), "/change/"))); s != types.ChangeStatusInsync {
			t.Errorf("zone's change after 61s = %s", s)
		}
	})
	t.Run("no delay", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t)
		c := env.R53()
		z := createZone(t, c, "example.com")
		if z.ChangeInfo.Status != types.ChangeStatusPending {
			t.Errorf("CreateHostedZone status = %s, want PENDING", z.ChangeInfo.Status)
		}
		if s := status(t, c, z.ChangeInfo.Id); s != types.ChangeStatusInsync {
			t.Errorf("GetChange = %s, want INSYNC", s)
		}
	})
	t.Run("another account's change", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t)
		z := createZone(t, env.R53(), "example.com")
		_, err := env.Route53(otherRoot, "x", defaultRegion).GetChange(ctx, &route53.GetChangeInput{Id: z.ChangeInfo.Id})
		wantStatusErr[*types.NoSuchChange](t, err, http.StatusNotFound)
	})
}

// TestRoute53ZonesBelongToAccounts checks that one account's zones do not exist for another.
func TestRoute53ZonesBelongToAccounts(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	mine := env.R53()
	z := createZone(t, mine, "example.com").HostedZone
	other := env.Route53(otherRoot, "x", defaultRegion)

	if out := need(other.ListHostedZones(ctx, &route53.ListHostedZonesInput{}))(t); len(out.HostedZones) != 0 {
		t.Errorf("other account lists %v", zoneNames(out.HostedZones))
	}
	if out := need(other.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{}))(t); len(out.HostedZones) != 0 {
		t.Errorf("other account lists by name %v", zoneNames(out.HostedZones))
	}
	id := zoneID(z)
	_, err := other.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id})
	wantNoSuchHostedZone(t, err, id)
	_, err = other.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id})
	wantNoSuchHostedZone(t, err, id)
	_, err = other.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("www.example.com.", 60, "192.0.2.1"))))
	wantNoSuchHostedZone(t, err, id)
	_, err = other.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: z.Id})
	wantNoSuchHostedZone(t, err, id)
	// Caller references are per account: the other account may reuse one.
	otherZone := need(other.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.com"), CallerReference: z.CallerReference}))(t)
	if zoneID(otherZone.HostedZone) == id {
		t.Errorf("the other account's zone has the same id %s", id)
	}
	if n := len(need(mine.ListHostedZones(ctx, &route53.ListHostedZonesInput{}))(t).HostedZones); n != 1 {
		t.Errorf("first account lists %d zones, want 1", n)
	}
}
