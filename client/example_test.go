package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
)

// newServer serves a fresh emulator on loopback for an example.
func newServer() (*emulator.Server, *httptest.Server) {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	return srv, httptest.NewServer(srv)
}

func ExampleAWSConfig() {
	_, hs := newServer() // or a running kms53: "http://127.0.0.1:4566"
	defer hs.Close()

	cfg := client.AWSConfig(hs.URL)
	key, err := kms.NewFromConfig(cfg).CreateKey(context.Background(), &kms.CreateKeyInput{
		KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.KeyMetadata.KeySpec, key.KeyMetadata.KeyState, *key.KeyMetadata.AWSAccountId)
	// Output: ECC_NIST_P256 Enabled 111122223333
}

func ExampleWithRegion() {
	_, hs := newServer()
	defer hs.Close()

	eu := kms.NewFromConfig(client.AWSConfig(hs.URL, client.WithRegion("eu-west-1")))
	key, err := eu.CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Split(*key.KeyMetadata.Arn, ":")[3])
	// Output: eu-west-1
}

func ExampleWithCredentials() {
	_, hs := newServer()
	defer hs.Close()

	// A 12-digit access key is the root of that account.
	other := kms.NewFromConfig(client.AWSConfig(hs.URL, client.WithCredentials("444455556666", "secret")))
	key, err := other.CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*key.KeyMetadata.AWSAccountId)
	// Output: 444455556666
}

func ExampleWithRetries() {
	cfg := client.AWSConfig("http://127.0.0.1:4566", client.WithRetries(3))
	fmt.Println(cfg.RetryMaxAttempts)
	// Output: 3
}

func ExampleWithHTTPClient() {
	srv, _ := emulator.New(emulator.Options{})
	hc := &http.Client{Transport: client.Transport(srv)}
	cfg := client.AWSConfig("http://kms53.invalid", client.WithHTTPClient(hc))
	keys, err := kms.NewFromConfig(cfg).ListKeys(context.Background(), &kms.ListKeysInput{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(keys.Keys))
	// Output: 0
}

func ExampleTransport() {
	// No socket: the SDK's requests are served by the emulator in-process.
	srv, _ := emulator.New(emulator.Options{})
	cfg := client.AWSConfig("http://kms53.invalid", client.WithHTTPClient(&http.Client{Transport: client.Transport(srv)}))
	zone, err := route53.NewFromConfig(cfg).CreateHostedZone(context.Background(), &route53.CreateHostedZoneInput{
		Name: aws.String("example.test"), CallerReference: aws.String("example")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*zone.HostedZone.Name, len(zone.DelegationSet.NameServers))
	// Output: example.test. 4
}

func ExampleIsAccessDenied() {
	_, hs := newServer()
	defer hs.Close()
	ctx := context.Background()

	owner := kms.NewFromConfig(client.AWSConfig(hs.URL))
	key, _ := owner.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	// Another account may not use the key: its policy names only the owner.
	other := kms.NewFromConfig(client.AWSConfig(hs.URL, client.WithCredentials("444455556666", "secret")))
	_, err := other.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.Arn})
	fmt.Println(client.IsAccessDenied(err), client.IsAccessDenied(errors.New("other")))
	// Output: true false
}

func ExampleDNSSECKeyPolicy() {
	policy := client.DNSSECKeyPolicy("111122223333", "")
	fmt.Println(strings.Contains(policy, `"Service": "dnssec-route53.amazonaws.com"`))
	// Output: true
}

func ExampleNewDNSSECKey() {
	_, hs := newServer()
	defer hs.Close()
	ctx := context.Background()
	cfg := client.AWSConfig(hs.URL)

	key, err := client.NewDNSSECKey(ctx, kms.NewFromConfig(cfg), client.DNSSECKeyOptions{Account: "111122223333"})
	if err != nil {
		log.Fatal(err)
	}
	r53 := route53.NewFromConfig(cfg)
	zone, _ := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.test"), CallerReference: aws.String("z")})
	ksk, err := r53.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{
		HostedZoneId: zone.HostedZone.Id, KeyManagementServiceArn: key.Arn, Name: aws.String("ksk_1"),
		Status: aws.String("ACTIVE"), CallerReference: aws.String("k")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*ksk.KeySigningKey.Status, ksk.KeySigningKey.Flag, *ksk.KeySigningKey.SigningAlgorithmMnemonic)
	// Output: ACTIVE 257 ECDSAP256SHA256
}

// inTest runs f with an emulator started by Start. Start belongs in a test, where it takes the
// test's *testing.T; testing.Benchmark lends these examples a real testing.TB so they run.
func inTest(f func(tb testing.TB, e *client.Emulator)) {
	done := false
	testing.Benchmark(func(b *testing.B) {
		if !done { // Benchmark calls this more than once; one run is the example
			done = true
			f(b, client.Start(b, emulator.Options{}))
		}
	})
}

func ExampleStart() {
	inTest(func(tb testing.TB, e *client.Emulator) {
		// In a test: e := client.Start(t, emulator.Options{}); it stops when the test ends.
		fmt.Println(strings.HasPrefix(e.URL, "http://127.0.0.1:"), strings.HasPrefix(e.DNSAddr, "127.0.0.1:"))
	})
	// Output: true true
}

func ExampleEmulator_KMS() {
	inTest(func(tb testing.TB, e *client.Emulator) {
		key, err := e.KMS().CreateKey(context.Background(), &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
		if err != nil {
			tb.Fatal(err)
		}
		sig, err := e.KMS().Sign(context.Background(), &kms.SignInput{KeyId: key.KeyMetadata.KeyId, Message: []byte("m"),
			SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Println(sig.SigningAlgorithm)
	})
	// Output: ECDSA_SHA_256
}

func ExampleEmulator_Route53() {
	inTest(func(tb testing.TB, e *client.Emulator) {
		ctx := context.Background()
		zone, err := e.Route53().CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.test"), CallerReference: aws.String("z")})
		if err != nil {
			tb.Fatal(err)
		}
		st, err := e.Route53().GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: zone.HostedZone.Id})
		if err != nil {
			tb.Fatal(err)
		}
		var notFound *r53types.NoSuchHostedZone
		_, err = e.Route53().GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("ZNOTHERE")})
		fmt.Println(*st.Status.ServeSignature, errors.As(err, &notFound))
	})
	// Output: NOT_SIGNING true
}

func ExampleEmulator_AWSConfig() {
	inTest(func(tb testing.TB, e *client.Emulator) {
		// Clients of other AWS services, other regions or identities come from the same config.
		cfg := e.AWSConfig(client.WithRegion("eu-west-1"), client.WithCredentials("444455556666", "secret"))
		key, err := kms.NewFromConfig(cfg).CreateKey(context.Background(), &kms.CreateKeyInput{})
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Println(*key.KeyMetadata.Arn == "arn:aws:kms:eu-west-1:444455556666:key/"+*key.KeyMetadata.KeyId)
	})
	// Output: true
}

func ExampleEmulator_Advance() {
	inTest(func(tb testing.TB, e *client.Emulator) {
		ctx := context.Background()
		key, _ := e.KMS().CreateKey(ctx, &kms.CreateKeyInput{})
		if _, err := e.KMS().ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: key.KeyMetadata.KeyId, PendingWindowInDays: aws.Int32(7)}); err != nil {
			tb.Fatal(err)
		}
		e.Advance(7 * 24 * time.Hour) // the deletion window ends on the emulator's clock
		_, err := e.KMS().DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
		var notFound *types.NotFoundException
		fmt.Println(errors.As(err, &notFound))
	})
	// Output: true
}

func ExampleEmulator_Reset() {
	inTest(func(tb testing.TB, e *client.Emulator) {
		ctx := context.Background()
		_, _ = e.KMS().CreateKey(ctx, &kms.CreateKeyInput{})
		e.Reset()
		keys, err := e.KMS().ListKeys(ctx, &kms.ListKeysInput{})
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Println(len(keys.Keys))
	})
	// Output: 0
}

func ExampleServeDNS() {
	srv, _ := emulator.New(emulator.Options{})
	addr, stop, err := client.ServeDNS("127.0.0.1:0", srv.DNSHandler())
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	m := new(dns.Msg)
	m.SetQuestion("example.test.", dns.TypeSOA)
	in, _, err := new(dns.Client).Exchange(m, addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dns.RcodeToString[in.Rcode]) // no hosted zone holds example.test yet
	// Output: REFUSED
}
