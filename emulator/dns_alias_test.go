package emulator_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	mdns "github.com/miekg/dns"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
)

// TestDNSAliasToExternalTarget checks that an alias whose target lies outside the emulator (a
// CloudFront distribution) answers NODATA in a signing zone with an NSEC that agrees: the alias
// type is not in its bitmap, or a validator would call the answer bogus.
func TestDNSAliasToExternalTarget(t *testing.T) {
	t.Parallel()
	e := client.Start(t, emulator.Options{})
	ctx := context.Background()
	r53 := e.Route53()
	zone := need(r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.test"), CallerReference: aws.String("z")}))(t)
	key := need(client.NewDNSSECKey(ctx, e.KMS(), client.DNSSECKeyOptions{Account: defaultAccount}))(t)
	need(r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: zone.HostedZone.Id,
		ChangeBatch: &types.ChangeBatch{Changes: []types.Change{{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
			Name: aws.String("cdn.example.test"), Type: types.RRTypeA,
			AliasTarget: &types.AliasTarget{HostedZoneId: aws.String("Z2FDTNDATAQYW2"), DNSName: aws.String("d111111abcdef8.cloudfront.net")}}}}}}))(t)
	need(r53.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{HostedZoneId: zone.HostedZone.Id, KeyManagementServiceArn: key.Arn,
		Name: aws.String("ksk"), Status: aws.String("ACTIVE"), CallerReference: aws.String("k")}))(t)
	need(r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: zone.HostedZone.Id}))(t)

	m := new(mdns.Msg)
	m.SetQuestion("cdn.example.test.", mdns.TypeA)
	m.SetEdns0(4096, true)
	in := need(func() (*mdns.Msg, error) { r, _, err := new(mdns.Client).Exchange(m, e.DNSAddr); return r, err }())(t)
	if in.Rcode != mdns.RcodeSuccess || len(in.Answer) != 0 {
		t.Fatalf("answer = %v, want NODATA", in)
	}
	found := false
	for _, rr := range in.Ns {
		if n, ok := rr.(*mdns.NSEC); ok && n.Hdr.Name == "cdn.example.test." {
			found = true
			if slices.Contains(n.TypeBitMap, mdns.TypeA) {
				t.Errorf("NSEC %v lists A, which the NODATA answer denies", n)
			}
		}
	}
	if !found {
		t.Fatalf("no NSEC for cdn.example.test. in %v", in)
	}
}
