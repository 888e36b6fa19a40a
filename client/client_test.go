package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	"github.com/miekg/dns"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
)

func TestStartServesBothAPIsAndDNS(t *testing.T) {
	t.Parallel()
	e := client.Start(t, emulator.Options{})
	ctx := context.Background()
	key, err := client.NewDNSSECKey(ctx, e.KMS(), client.DNSSECKeyOptions{Account: "111122223333", Description: "dnssec"})
	if err != nil {
		t.Fatal(err)
	}
	zone, err := e.Route53().CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.test"), CallerReference: aws.String("z")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Route53().CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{HostedZoneId: zone.HostedZone.Id,
		KeyManagementServiceArn: key.Arn, Name: aws.String("ksk_1"), Status: aws.String("ACTIVE"), CallerReference: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Route53().EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: zone.HostedZone.Id}); err != nil {
		t.Fatal(err)
	}
	for _, network := range []string{"udp", "tcp"} {
		m := new(dns.Msg)
		m.SetQuestion("example.test.", dns.TypeDNSKEY)
		m.SetEdns0(4096, true)
		in, _, err := (&dns.Client{Net: network}).Exchange(m, e.DNSAddr)
		if err != nil {
			t.Fatalf("%s: %v", network, err)
		}
		var keys, sigs int
		for _, rr := range in.Answer {
			switch rr.(type) {
			case *dns.DNSKEY:
				keys++
			case *dns.RRSIG:
				sigs++
			}
		}
		if keys != 2 || sigs != 1 {
			t.Errorf("%s: DNSKEY answer has %d keys and %d signatures, want 2 and 1:\n%v", network, keys, sigs, in)
		}
	}
	// The emulator's clock moves; the key can be scheduled for deletion and is gone after.
	before := e.Server.Now()
	e.Advance(time.Hour)
	if got := e.Server.Now().Sub(before); got < time.Hour {
		t.Errorf("Advance(1h) moved the clock by %v", got)
	}
	e.Reset()
	keys, err := e.KMS().ListKeys(ctx, &kms.ListKeysInput{})
	if err != nil || len(keys.Keys) != 0 {
		t.Errorf("after Reset: %d keys, %v", len(keys.Keys), err)
	}
}

func TestDNSSECKeyPolicyConfusedDeputy(t *testing.T) {
	t.Parallel()
	e := client.Start(t, emulator.Options{})
	ctx := context.Background()
	r53 := e.Route53()
	z1, _ := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("one.test"), CallerReference: aws.String("1")})
	z2, _ := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("two.test"), CallerReference: aws.String("2")})
	id := func(z *route53.CreateHostedZoneOutput) string { return (*z.HostedZone.Id)[len("/hostedzone/"):] }
	key, err := client.NewDNSSECKey(ctx, e.KMS(), client.DNSSECKeyOptions{Account: "111122223333", HostedZoneID: id(z1)})
	if err != nil {
		t.Fatal(err)
	}
	create := func(z *route53.CreateHostedZoneOutput) error {
		_, err := r53.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{HostedZoneId: z.HostedZone.Id,
			KeyManagementServiceArn: key.Arn, Name: aws.String("ksk"), Status: aws.String("ACTIVE"), CallerReference: aws.String("k")})
		return err
	}
	if err := create(z1); err != nil {
		t.Fatalf("KSK in the zone the policy names: %v", err)
	}
	var invalid *r53types.InvalidKMSArn
	if err := create(z2); !errors.As(err, &invalid) {
		t.Fatalf("KSK in another zone: %v, want InvalidKMSArn", err)
	}
}

func TestNewDNSSECKeyNeedsAccount(t *testing.T) {
	t.Parallel()
	if _, err := client.NewDNSSECKey(context.Background(), nil, client.DNSSECKeyOptions{}); err == nil {
		t.Fatal("NewDNSSECKey without an account succeeded")
	}
}

func TestIsAccessDenied(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want bool
	}{
		{&smithy.GenericAPIError{Code: "AccessDeniedException"}, true},
		{&smithy.GenericAPIError{Code: "AccessDenied"}, true},
		{&smithy.GenericAPIError{Code: "NotFoundException"}, false},
		{&types.NotFoundException{}, false},
		{errors.New("AccessDenied"), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := client.IsAccessDenied(tt.err); got != tt.want {
			t.Errorf("IsAccessDenied(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestTransportHonoursCancellation(t *testing.T) {
	t.Parallel()
	srv, _ := emulator.New(emulator.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://kms53.invalid/_kms53/health", nil)
	if _, err := client.Transport(srv).RoundTrip(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("RoundTrip with a cancelled context = %v", err)
	}
	req, _ = http.NewRequest(http.MethodGet, "http://kms53.invalid/_kms53/health", nil)
	resp, err := client.Transport(srv).RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("health through the transport: %v %v", resp, err)
	}
}
