package emulator_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// rrset is a record set with a TTL and values.
func rrset(name string, typ types.RRType, ttl int64, values ...string) types.ResourceRecordSet {
	r := types.ResourceRecordSet{Name: aws.String(name), Type: typ, TTL: aws.Int64(ttl)}
	for _, v := range values {
		r.ResourceRecords = append(r.ResourceRecords, types.ResourceRecord{Value: aws.String(v)})
	}
	return r
}

func aRecord(name string, ttl int64, values ...string) types.ResourceRecordSet {
	return rrset(name, types.RRTypeA, ttl, values...)
}

func create(r types.ResourceRecordSet) types.Change {
	return types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: &r}
}

func upsert(r types.ResourceRecordSet) types.Change {
	return types.Change{Action: types.ChangeActionUpsert, ResourceRecordSet: &r}
}

func del(r types.ResourceRecordSet) types.Change {
	return types.Change{Action: types.ChangeActionDelete, ResourceRecordSet: &r}
}

// changeBatch is the input of ChangeResourceRecordSets for a zone and changes.
func changeBatch(zone *string, changes ...types.Change) *route53.ChangeResourceRecordSetsInput {
	return &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone, ChangeBatch: &types.ChangeBatch{Changes: changes}}
}

// allRecords lists every record set of a zone with the SDK's paginator.
func allRecords(t testing.TB, c *route53.Client, zone *string) []types.ResourceRecordSet {
	t.Helper()
	var out []types.ResourceRecordSet
	p := route53.NewListResourceRecordSetsPaginator(c, &route53.ListResourceRecordSetsInput{HostedZoneId: zone})
	for p.HasMorePages() {
		out = append(out, need(p.NextPage(context.Background()))(t).ResourceRecordSets...)
	}
	return out
}

// describeSets writes record sets one a line as "name type [id] ttl values", for comparisons.
func describeSets(sets []types.ResourceRecordSet) string {
	var b strings.Builder
	for _, r := range sets {
		fmt.Fprintf(&b, "%s %s", aws.ToString(r.Name), r.Type)
		if r.SetIdentifier != nil {
			fmt.Fprintf(&b, " id=%s", aws.ToString(r.SetIdentifier))
		}
		if r.Weight != nil {
			fmt.Fprintf(&b, " weight=%d", aws.ToInt64(r.Weight))
		}
		if r.TTL != nil {
			fmt.Fprintf(&b, " %d", aws.ToInt64(r.TTL))
		}
		for _, v := range r.ResourceRecords {
			fmt.Fprintf(&b, " %s", aws.ToString(v.Value))
		}
		if a := r.AliasTarget; a != nil {
			fmt.Fprintf(&b, " alias=%s/%s/%v", aws.ToString(a.HostedZoneId), aws.ToString(a.DNSName), a.EvaluateTargetHealth)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// withoutApex drops the apex NS and SOA record sets every zone has.
func withoutApex(sets []types.ResourceRecordSet, zone string) []types.ResourceRecordSet {
	return slices.DeleteFunc(slices.Clone(sets), func(r types.ResourceRecordSet) bool {
		return aws.ToString(r.Name) == zone && (r.Type == types.RRTypeNs || r.Type == types.RRTypeSoa)
	})
}

// TestRoute53RecordTypes creates one record set of each type Route 53 accepts and reads it back.
func TestRoute53RecordTypes(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	tests := []struct {
		name   string
		typ    types.RRType
		values []string
	}{
		{"a.example.com.", types.RRTypeA, []string{"192.0.2.1", "192.0.2.2"}},
		{"aaaa.example.com.", types.RRTypeAaaa, []string{"2001:db8::1"}},
		{"cname.example.com.", types.RRTypeCname, []string{"target.example.net."}},
		{"example.com.", types.RRTypeMx, []string{"10 mail1.example.com.", "20 mail2.example.com."}},
		{"txt.example.com.", types.RRTypeTxt, []string{`"hello world"`, `"v=spf1 include:example.net -all"`}},
		{"_sip._tcp.example.com.", types.RRTypeSrv, []string{"1 10 5060 sip.example.com."}},
		{"example.com.", types.RRTypeCaa, []string{`0 issue "amazon.com"`}},
		{"child.example.com.", types.RRTypeDs, []string{"12345 13 2 " + strings.Repeat("ab", 32)}},
		{"child.example.com.", types.RRTypeNs, []string{"ns1.child-dns.net.", "ns2.child-dns.net."}},
		{"1.2.0.192.example.com.", types.RRTypePtr, []string{"host.example.com."}},
		{"spf.example.com.", types.RRTypeSpf, []string{`"v=spf1 -all"`}},
		{"naptr.example.com.", types.RRTypeNaptr, []string{`100 50 "s" "z3950+I2L+I2C" "" _z3950._tcp.example.com.`}},
		{"_443._tcp.example.com.", types.RRTypeTlsa, []string{"3 1 1 " + strings.Repeat("0f", 32)}},
		{"ssh.example.com.", types.RRTypeSshfp, []string{"4 2 " + strings.Repeat("1e", 32)}},
		{"_svc.example.com.", types.RRTypeSvcb, []string{"1 svc.example.com. alpn=h2"}},
		{"https.example.com.", types.RRTypeHttps, []string{"1 . alpn=h2,h3"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			t.Parallel()
			z := createZone(t, c, "example.com").HostedZone
			r := rrset(tt.name, tt.typ, 300, tt.values...)
			out := need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(r))))(t)
			if out.ChangeInfo.Status != types.ChangeStatusPending {
				t.Errorf("status = %s, want PENDING", out.ChangeInfo.Status)
			}
			got := need(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id,
				StartRecordName: aws.String(tt.name), StartRecordType: tt.typ, MaxItems: aws.Int32(1)}))(t).ResourceRecordSets
			if want := describeSets([]types.ResourceRecordSet{r}); describeSets(got) != want {
				t.Errorf("record set read back:\n%s\nwant:\n%s", describeSets(got), want)
			}
			if n := aws.ToInt64(need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id}))(t).HostedZone.ResourceRecordSetCount); n != 3 {
				t.Errorf("ResourceRecordSetCount = %d, want 3", n)
			}
		})
	}
}

func TestRoute53UpsertAndDelete(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	www := func(t *testing.T) string {
		t.Helper()
		return describeSets(withoutApex(allRecords(t, c, z.Id), "example.com."))
	}

	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, upsert(aRecord("www.example.com.", 60, "192.0.2.1")))))(t)
	if got := www(t); got != "www.example.com. A 60 192.0.2.1\n" {
		t.Errorf("after UPSERT creating: %q", got)
	}
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, upsert(aRecord("www.example.com.", 120, "192.0.2.2", "192.0.2.3")))))(t)
	if got := www(t); got != "www.example.com. A 120 192.0.2.2 192.0.2.3\n" {
		t.Errorf("after UPSERT replacing: %q", got)
	}
	// DELETE names the current values in any order and case.
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, del(aRecord("WWW.example.com", 120, "192.0.2.3", "192.0.2.2")))))(t)
	if got := www(t); got != "" {
		t.Errorf("after DELETE: %q", got)
	}
	// A batch applies in order: delete and re-create one record set.
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("www.example.com.", 60, "192.0.2.1")))))(t)
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id,
		del(aRecord("www.example.com.", 60, "192.0.2.1")), create(aRecord("www.example.com.", 60, "192.0.2.9")))))(t)
	if got := www(t); got != "www.example.com. A 60 192.0.2.9\n" {
		t.Errorf("after DELETE+CREATE: %q", got)
	}
}

// TestRoute53BatchAllOrNothing checks that a batch with one bad change changes nothing.
func TestRoute53BatchAllOrNothing(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("old.example.com.", 60, "192.0.2.1")))))(t)
	before := describeSets(allRecords(t, c, z.Id))
	count := need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id}))(t).HostedZone.ResourceRecordSetCount

	tests := []struct {
		name    string
		changes []types.Change
		msg     string
	}{
		{"create then an existing record", []types.Change{
			create(aRecord("new.example.com.", 60, "192.0.2.2")),
			create(aRecord("old.example.com.", 60, "192.0.2.1")),
		}, "Tried to create resource record set [name='old.example.com.', type='A'] but it already exists"},
		{"upsert then a bad address", []types.Change{
			upsert(aRecord("old.example.com.", 300, "192.0.2.7")),
			create(aRecord("bad.example.com.", 60, "192.0.2")),
		}, "ARRDATAIllegalIPv4Address"},
		{"delete then a missing record", []types.Change{
			del(aRecord("old.example.com.", 60, "192.0.2.1")),
			del(aRecord("gone.example.com.", 60, "192.0.2.1")),
		}, "Tried to delete resource record set [name='gone.example.com.', type='A'] but it was not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, tt.changes...))
			wantErrContaining[*types.InvalidChangeBatch](t, err, tt.msg)
			if after := describeSets(allRecords(t, c, z.Id)); after != before {
				t.Errorf("zone changed by a refused batch:\n%s\nwas:\n%s", after, before)
			}
			got := need(c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: z.Id}))(t).HostedZone.ResourceRecordSetCount
			if aws.ToInt64(got) != aws.ToInt64(count) {
				t.Errorf("ResourceRecordSetCount = %d, want %d", aws.ToInt64(got), aws.ToInt64(count))
			}
		})
	}
}

func TestRoute53AliasRecords(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	id := zoneID(z)
	alias := func(name string, typ types.RRType, zone, target string) types.ResourceRecordSet {
		return types.ResourceRecordSet{Name: aws.String(name), Type: typ,
			AliasTarget: &types.AliasTarget{HostedZoneId: aws.String(zone), DNSName: aws.String(target)}}
	}
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("origin.example.com.", 60, "192.0.2.1")))))(t)
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id,
		create(alias("example.com.", types.RRTypeA, id, "origin.example.com")),
		create(alias("cdn.example.com.", types.RRTypeA, "Z2FDTNDATAQYW2", "d111111abcdef8.cloudfront.net.")),
	)))(t)
	want := "example.com. A alias=" + id + "/origin.example.com./false\n" +
		"cdn.example.com. A alias=Z2FDTNDATAQYW2/d111111abcdef8.cloudfront.net./false\n" +
		"origin.example.com. A 60 192.0.2.1\n"
	if got := describeSets(withoutApex(allRecords(t, c, z.Id), "example.com.")); got != want {
		t.Errorf("record sets:\n%s\nwant:\n%s", got, want)
	}
	// An alias to a missing record set in the same zone is refused.
	_, err := c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(alias("x.example.com.", types.RRTypeA, id, "nothing.example.com."))))
	wantErrContaining[*types.InvalidChangeBatch](t, err, "Tried to create an alias that targets nothing.example.com., type A in zone "+id)
	// DELETE of an alias names its target.
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, del(alias("cdn.example.com.", types.RRTypeA, "Z2FDTNDATAQYW2", "d111111abcdef8.cloudfront.net.")))))(t)
}

func TestRoute53WeightedRecords(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	weighted := func(id string, weight int64, ip string) types.ResourceRecordSet {
		r := aRecord("api.example.com.", 60, ip)
		r.SetIdentifier, r.Weight = aws.String(id), aws.Int64(weight)
		return r
	}
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(weighted("blue", 90, "192.0.2.1")), create(weighted("green", 10, "192.0.2.2")))))(t)
	want := "api.example.com. A id=blue weight=90 60 192.0.2.1\napi.example.com. A id=green weight=10 60 192.0.2.2\n"
	if got := describeSets(withoutApex(allRecords(t, c, z.Id), "example.com.")); got != want {
		t.Errorf("record sets:\n%s\nwant:\n%s", got, want)
	}
	// The set identifier is part of a record set's name.
	_, err := c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(weighted("blue", 50, "192.0.2.3"))))
	wantErr[*types.InvalidChangeBatch](t, err,
		"[Tried to create resource record set [name='api.example.com.', type='A', set-identifier='blue'] but it already exists]")
	// Listing from a set identifier.
	out := need(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id,
		StartRecordName: aws.String("api.example.com."), StartRecordType: types.RRTypeA, StartRecordIdentifier: aws.String("green")}))(t)
	if len(out.ResourceRecordSets) != 1 || aws.ToString(out.ResourceRecordSets[0].SetIdentifier) != "green" {
		t.Errorf("from set identifier green: %s", describeSets(out.ResourceRecordSets))
	}
	// A weight without a set identifier is refused before the batch is looked at.
	noID := aRecord("w.example.com.", 60, "192.0.2.1")
	noID.Weight = aws.Int64(1)
	_, err = c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(noID)))
	wantErrContaining[*types.InvalidInput](t, err, "Missing field 'SetIdentifier'")
}

func TestRoute53RecordNames(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "Example.com").HostedZone

	// A wildcard comes back with the * escaped as \052.
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("*.example.com.", 60, "192.0.2.1")))))(t)
	got := withoutApex(allRecords(t, c, z.Id), "example.com.")
	if len(got) != 1 || aws.ToString(got[0].Name) != `\052.example.com.` {
		t.Fatalf("wildcard record = %s", describeSets(got))
	}
	// Either spelling names it, in listings and in changes.
	out := need(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id,
		StartRecordName: aws.String(`\052.example.com.`), StartRecordType: types.RRTypeA, MaxItems: aws.Int32(1)}))(t)
	if len(out.ResourceRecordSets) != 1 || aws.ToString(out.ResourceRecordSets[0].Name) != `\052.example.com.` {
		t.Errorf("listing from the escaped name: %s", describeSets(out.ResourceRecordSets))
	}
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, del(aRecord(`\052.Example.COM.`, 60, "192.0.2.1")))))(t)

	// Names are compared case-insensitively and stored in lower case, with the trailing dot.
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("WWW.Example.COM", 60, "192.0.2.1")))))(t)
	_, err := c.ChangeResourceRecordSets(ctx, changeBatch(z.Id, create(aRecord("www.example.com.", 60, "192.0.2.1"))))
	wantErr[*types.InvalidChangeBatch](t, err,
		"[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists]")
	if got := describeSets(withoutApex(allRecords(t, c, z.Id), "example.com.")); got != "www.example.com. A 60 192.0.2.1\n" {
		t.Errorf("record sets = %q", got)
	}
}

// TestRoute53ListResourceRecordSetsPages walks a zone in pages by hand, following NextRecordName,
// NextRecordType and NextRecordIdentifier.
func TestRoute53ListResourceRecordSetsPages(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	c := env.R53()
	z := createZone(t, c, "example.com").HostedZone
	weighted := func(name, id string) types.ResourceRecordSet {
		r := aRecord(name, 60, "192.0.2.1")
		r.SetIdentifier, r.Weight = aws.String(id), aws.Int64(1)
		return r
	}
	need(c.ChangeResourceRecordSets(ctx, changeBatch(z.Id,
		create(aRecord("b.example.com.", 60, "192.0.2.1")),
		create(rrset("b.example.com.", types.RRTypeTxt, 60, `"b"`)),
		create(aRecord("a.b.example.com.", 60, "192.0.2.1")),
		create(weighted("w.example.com.", "one")),
		create(weighted("w.example.com.", "three")),
		create(weighted("w.example.com.", "two")),
		create(rrset("example.com.", types.RRTypeMx, 60, "10 mx.example.com.")),
		create(aRecord("example.com.", 60, "192.0.2.1")),
	)))(t)
	// Sorted by name with the labels reversed, then type, then set identifier.
	want := []string{
		"example.com. A", "example.com. MX", "example.com. NS", "example.com. SOA",
		"b.example.com. A", "b.example.com. TXT", "a.b.example.com. A",
		"w.example.com. A one", "w.example.com. A three", "w.example.com. A two",
	}
	key := func(r types.ResourceRecordSet) string {
		return strings.TrimSpace(fmt.Sprintf("%s %s %s", aws.ToString(r.Name), r.Type, aws.ToString(r.SetIdentifier)))
	}

	for _, size := range []int32{1, 3, 4, 10, 11} {
		t.Run(fmt.Sprint("pages of ", size), func(t *testing.T) {
			t.Parallel()
			in := &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id, MaxItems: aws.Int32(size)}
			var got []string
			for page := 0; page <= len(want); page++ {
				out := need(c.ListResourceRecordSets(ctx, in))(t)
				if aws.ToInt32(out.MaxItems) != size {
					t.Errorf("MaxItems = %d, want %d", aws.ToInt32(out.MaxItems), size)
				}
				for _, r := range out.ResourceRecordSets {
					got = append(got, key(r))
				}
				if !out.IsTruncated {
					if out.NextRecordName != nil || out.NextRecordType != "" || out.NextRecordIdentifier != nil {
						t.Errorf("last page has a next record %v %s %v", out.NextRecordName, out.NextRecordType, out.NextRecordIdentifier)
					}
					break
				}
				next := strings.TrimSpace(fmt.Sprintf("%s %s %s", aws.ToString(out.NextRecordName), out.NextRecordType, aws.ToString(out.NextRecordIdentifier)))
				if len(got) >= len(want) || next != want[len(got)] {
					t.Fatalf("after %d record sets the next is %q, want %q", len(got), next, want[min(len(got), len(want)-1)])
				}
				in = &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id, MaxItems: aws.Int32(size),
					StartRecordName: out.NextRecordName, StartRecordType: out.NextRecordType, StartRecordIdentifier: out.NextRecordIdentifier}
			}
			if !slices.Equal(got, want) {
				t.Errorf("record sets = %q\nwant %q", got, want)
			}
		})
	}
	t.Run("start points", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			name, typ, id string
			first         string
		}{
			{"b.example.com.", "", "", "b.example.com. A"},
			{"B.EXAMPLE.COM", "TXT", "", "b.example.com. TXT"},
			{"c.example.com.", "", "", "w.example.com. A one"},
			{"example.com.", "NS", "", "example.com. NS"},
			{"w.example.com.", "A", "three", "w.example.com. A three"},
			{"w.example.com.", "A", "tw", "w.example.com. A two"},
		}
		for _, tt := range tests {
			out := need(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id, MaxItems: aws.Int32(1),
				StartRecordName: aws.String(tt.name), StartRecordType: types.RRType(tt.typ), StartRecordIdentifier: aws.String(tt.id)}))(t)
			if len(out.ResourceRecordSets) != 1 || key(out.ResourceRecordSets[0]) != tt.first {
				t.Errorf("from %s %s %s: %s, want %s", tt.name, tt.typ, tt.id, describeSets(out.ResourceRecordSets), tt.first)
			}
		}
		out := need(c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id, StartRecordName: aws.String("zzz.example.com.")}))(t)
		if len(out.ResourceRecordSets) != 0 || out.IsTruncated {
			t.Errorf("past the end: %s", describeSets(out.ResourceRecordSets))
		}
	})
	t.Run("paginator", func(t *testing.T) {
		t.Parallel()
		var got []string
		p := route53.NewListResourceRecordSetsPaginator(c, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id},
			func(o *route53.ListResourceRecordSetsPaginatorOptions) { o.Limit = 4 })
		for p.HasMorePages() {
			for _, r := range need(p.NextPage(ctx))(t).ResourceRecordSets {
				got = append(got, key(r))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("record sets = %q\nwant %q", got, want)
		}
	})
}
