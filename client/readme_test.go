package client_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
)

// TestZoneSigns is the README's "In Go tests" example, verbatim.
func TestZoneSigns(t *testing.T) {
	e := client.Start(t, emulator.Options{})
	ctx := t.Context()
	key, err := client.NewDNSSECKey(ctx, e.KMS(), client.DNSSECKeyOptions{Account: "111122223333"})
	if err != nil {
		t.Fatal(err)
	}
	zone, err := e.Route53().CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String("example.test"), CallerReference: aws.String("zone-1")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Route53().CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{
		HostedZoneId: zone.HostedZone.Id, KeyManagementServiceArn: key.Arn,
		Name: aws.String("ksk_1"), Status: aws.String("ACTIVE"), CallerReference: aws.String("ksk-1")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.KMS().DisableKey(ctx, &kms.DisableKeyInput{KeyId: key.KeyId}); err != nil {
		t.Fatal(err)
	}
	e.Advance(25 * time.Hour) // the emulator's clock: Route 53 re-signs and finds the key disabled
	out, err := e.Route53().GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: zone.HostedZone.Id})
	if err != nil {
		t.Fatal(err)
	}
	if got := *out.KeySigningKeys[0].Status; got != "ACTION_NEEDED" {
		t.Fatalf("KSK status %s, want ACTION_NEEDED", got)
	}
}

// TestReadmeInSync fails when the README's Go example and TestZoneSigns differ, and when the
// README's key policy file differs from DNSSECKeyPolicy.
func TestReadmeInSync(t *testing.T) {
	t.Parallel()
	readme := string(need(os.ReadFile("../README.md")))
	section := readme[strings.Index(readme, "## In Go tests"):]
	start := strings.Index(section, "```go\n") + len("```go\n")
	block := section[start : start+strings.Index(section[start:], "```")]

	src := string(need(os.ReadFile("readme_test.go")))
	fn := src[strings.Index(src, "func TestZoneSigns"):]
	fn = fn[:strings.Index(fn, "\n}\n")+3]
	if block != fn {
		t.Errorf("README.md's Go example differs from TestZoneSigns in readme_test.go:\n--- README\n%s\n--- test\n%s", block, fn)
	}

	policy := string(need(os.ReadFile("../scenarios/testdata/dnssec-key-policy.json")))
	if policy != client.DNSSECKeyPolicy("111122223333", "")+"\n" {
		t.Errorf("scenarios/testdata/dnssec-key-policy.json differs from DNSSECKeyPolicy; regenerate it")
	}
}

func need[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
