package emulator_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
)

// TestSeededIdentifiers runs the same calls against two emulators with the same seeded ID source
// and clock: every identifier (key id, grant id and token, zone and change id) must repeat.
func TestSeededIdentifiers(t *testing.T) {
	t.Parallel()
	run := func() []string {
		e := client.Start(t, emulator.Options{Rand: rand.NewChaCha8([32]byte{'s', 'e', 'e', 'd'}),
			Clock: func() time.Time { return t0 }})
		ctx := context.Background()
		key := need(e.KMS().CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify}))(t)
		mrk := need(e.KMS().CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)}))(t)
		grant := need(e.KMS().CreateGrant(ctx, &kms.CreateGrantInput{KeyId: key.KeyMetadata.KeyId,
			GranteePrincipal: aws.String("arn:aws:iam::111122223333:user/a"), Operations: []types.GrantOperation{types.GrantOperationSign}}))(t)
		zone := need(e.Route53().CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.test"), CallerReference: aws.String("r")}))(t)
		return []string{*key.KeyMetadata.KeyId, *mrk.KeyMetadata.KeyId, *grant.GrantId, *grant.GrantToken,
			*zone.HostedZone.Id, *zone.ChangeInfo.Id, zone.DelegationSet.NameServers[0]}
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("identifier %d differs between two runs with the same seed: %s and %s", i, a[i], b[i])
		}
	}
}
