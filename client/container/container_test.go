package container_test

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	"github.com/miekg/dns"
	"github.com/moby/moby/api/types/network"
	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"

	"github.com/kms53/kms53/client/container"
)

// testImage is the tag the tests build the image under, unless KMS53_TEST_IMAGE names an image
// to use as it is.
const testImage = "kms53:test"

// A test's whole budget: image build excluded, a container start, its calls and DNS queries.
const testTimeout = 2 * time.Minute

func TestMain(m *testing.M) {
	// Ryuk, testcontainers' reaper, is an image that may not be there to pull; every test
	// removes its own containers with testcontainers.CleanupContainer.
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	os.Exit(m.Run())
}

// built is the image the tests run, built once per test process by image.
var built struct {
	once    sync.Once
	img     string
	skip    string // why Docker cannot be used; "" when it can
	err     error
	elapsed time.Duration
}

// image returns the kms53 image to run: KMS53_TEST_IMAGE, or testImage built on the first call
// with scripts/build-image.sh (the static binary, then the FROM-scratch image). It skips the
// test when no Docker engine answers, or fails it when KMS53_REQUIRE_DOCKER=1.
func image(t testing.TB) string {
	t.Helper()
	b := &built
	b.once.Do(func() {
		if err := dockerAnswers(); err != nil {
			b.skip = err.Error()
			return
		}
		if img := os.Getenv("KMS53_TEST_IMAGE"); img != "" {
			b.img = img
			return
		}
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", filepath.Join("..", "..", "scripts", "build-image.sh"), testImage)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.err = fmt.Errorf("scripts/build-image.sh %s: %v\n%s", testImage, err, out)
			return
		}
		b.img, b.elapsed = testImage, time.Since(start)
		t.Logf("built %s in %v: %s", testImage, b.elapsed.Round(time.Millisecond), strings.TrimSpace(string(out)))
	})
	if b.skip != "" {
		if os.Getenv("KMS53_REQUIRE_DOCKER") == "1" {
			t.Fatalf("no Docker engine answers and KMS53_REQUIRE_DOCKER=1: %s", b.skip)
		}
		t.Skipf("no Docker engine answers (set KMS53_REQUIRE_DOCKER=1 to make this a failure): %s", b.skip)
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.img
}

// dockerAnswers reports why the Docker engine cannot be used, or nil.
func dockerAnswers() (err error) {
	defer func() {
		if r := recover(); r != nil { // testcontainers panics on some broken setups
			err = fmt.Errorf("docker provider: %v", r)
		}
	}()
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return err
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return p.Health(ctx)
}

// run starts a kms53 container for the test and removes it when the test ends.
func run(t *testing.T, ctx context.Context, opts ...testcontainers.ContainerCustomizer) *container.Container {
	t.Helper()
	img := image(t)
	c, err := container.Run(ctx, img, opts...)
	testcontainers.CleanupContainer(t, c)
	require.NoError(t, err)
	return c
}

// clients returns KMS and Route 53 clients of c that sign with accessKey and secret. Retries
// are off, so every error surfaces at once.
func clients(t *testing.T, ctx context.Context, c *container.Container, accessKey, secret string) (*kms.Client, *route53.Client) {
	t.Helper()
	endpoint, err := c.Endpoint(ctx, "http")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(endpoint, "http://"), "Endpoint = %q", endpoint)
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secret, ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(endpoint) }),
		route53.NewFromConfig(cfg, func(o *route53.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// dnssecKeyPolicy is the key policy AWS documents for a key-signing key's KMS key: the account's
// root, and Route 53's DNSSEC service with its grant for an AWS resource.
const dnssecKeyPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"Allow Route 53 DNSSEC Service","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},
  "Action":["kms:DescribeKey","kms:GetPublicKey","kms:Sign"],"Resource":"*"},
 {"Sid":"Allow Route 53 DNSSEC to CreateGrant","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},
  "Action":["kms:CreateGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":true}}}]}`

// signingKey creates an ECC_NIST_P256 SIGN_VERIFY key (with policy, or KMS's default policy when
// policy is "") and returns its ARN.
func signingKey(t *testing.T, ctx context.Context, k *kms.Client, policy string) string {
	t.Helper()
	in := &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeSignVerify}
	if policy != "" {
		in.Policy = aws.String(policy)
	}
	out, err := k.CreateKey(ctx, in)
	require.NoError(t, err)
	return aws.ToString(out.KeyMetadata.Arn)
}

// hostedZone creates a public hosted zone and returns its id (/hostedzone/Z...).
func hostedZone(t *testing.T, ctx context.Context, r *route53.Client, name string) string {
	t.Helper()
	out, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String(name), CallerReference: aws.String(fmt.Sprintf("%s-%d", name, time.Now().UnixNano())),
	})
	require.NoError(t, err)
	return aws.ToString(out.HostedZone.Id)
}

// TestDNSSECSigning runs the happy path against the container: a KMS key with the DNSSEC key
// policy, a hosted zone, an ACTIVE key-signing key, DNSSEC signing enabled; then the zone's
// signed answers over DNS from DNSAddress.
func TestDNSSECSigning(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	c := run(t, ctx)
	k, r := clients(t, ctx, c, "test", "test")

	arn := signingKey(t, ctx, k, dnssecKeyPolicy)
	zone := hostedZone(t, ctx, r, "example.test")
	_, err := r.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{
		CallerReference: aws.String("ksk-1"), HostedZoneId: aws.String(zone), KeyManagementServiceArn: aws.String(arn),
		Name: aws.String("ksk_one"), Status: aws.String("ACTIVE"),
	})
	require.NoError(t, err)
	_, err = r.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: aws.String(zone)})
	require.NoError(t, err)
	got, err := r.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: aws.String(zone)})
	require.NoError(t, err)
	require.Equal(t, "SIGNING", aws.ToString(got.Status.ServeSignature))
	require.Len(t, got.KeySigningKeys, 1)
	require.Equal(t, "ACTIVE", aws.ToString(got.KeySigningKeys[0].Status))
	_, err = r.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(zone),
		ChangeBatch: &types.ChangeBatch{Changes: []types.Change{{Action: types.ChangeActionUpsert, ResourceRecordSet: &types.ResourceRecordSet{
			Name: aws.String("www.example.test"), Type: types.RRTypeA, TTL: aws.Int64(300),
			ResourceRecords: []types.ResourceRecord{{Value: aws.String("192.0.2.10")}},
		}}}},
	})
	require.NoError(t, err)

	addr, err := c.DNSAddress(ctx)
	require.NoError(t, err)
	query := func(name string, qtype uint16) *dns.Msg {
		t.Helper()
		m := new(dns.Msg)
		m.SetQuestion(name, qtype)
		m.SetEdns0(4096, true)
		in, _, err := (&dns.Client{Net: "udp", Timeout: 5 * time.Second}).ExchangeContext(ctx, m, addr)
		require.NoError(t, err, "DNS %s %s at %s", name, dns.TypeToString[qtype], addr)
		require.Equal(t, dns.RcodeSuccess, in.Rcode, "DNS %s %s: %s", name, dns.TypeToString[qtype], in)
		require.True(t, in.Authoritative, "DNS %s %s: not authoritative", name, dns.TypeToString[qtype])
		return in
	}

	// The DNSKEY RRset comes with an RRSIG by the KSK, whose private key is the KMS key's.
	in := query("example.test.", dns.TypeDNSKEY)
	var keys []dns.RR
	var sig *dns.RRSIG
	var ksk *dns.DNSKEY
	for _, rr := range in.Answer {
		switch rr := rr.(type) {
		case *dns.DNSKEY:
			keys = append(keys, rr)
			if rr.Flags == 257 {
				ksk = rr
			}
		case *dns.RRSIG:
			if rr.TypeCovered == dns.TypeDNSKEY {
				sig = rr
			}
		}
	}
	require.NotNil(t, ksk, "no KSK (flags 257) among the DNSKEYs:\n%s", in)
	require.NotNil(t, sig, "no RRSIG over the DNSKEY RRset:\n%s", in)
	require.Equal(t, ksk.KeyTag(), sig.KeyTag, "the DNSKEY RRSIG is not the KSK's")
	require.NoError(t, sig.Verify(ksk, keys), "the DNSKEY RRSIG does not verify with the KSK")
	require.Equal(t, got.KeySigningKeys[0].KeyTag, int32(ksk.KeyTag()), "GetDNSSEC's key tag")

	// The A record, signed.
	in = query("www.example.test.", dns.TypeA)
	var a *dns.A
	var aSig bool
	for _, rr := range in.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			a = rr
		case *dns.RRSIG:
			aSig = aSig || rr.TypeCovered == dns.TypeA
		}
	}
	require.NotNil(t, a, "no A record:\n%s", in)
	require.Equal(t, "192.0.2.10", a.A.String())
	require.True(t, aSig, "the A record has no RRSIG:\n%s", in)

	// DNSAddress serves TCP too, as the binary's DNS address does.
	if strings.HasPrefix(addr, "127.0.0.1:") {
		m := new(dns.Msg)
		m.SetQuestion("example.test.", dns.TypeSOA)
		in, _, err := (&dns.Client{Net: "tcp", Timeout: 5 * time.Second}).ExchangeContext(ctx, m, addr)
		require.NoError(t, err, "DNS over TCP at %s", addr)
		require.Equal(t, dns.RcodeSuccess, in.Rcode)
		require.NotEmpty(t, in.Answer, "SOA over TCP:\n%s", in)
	}
}

// TestKSKWithDefaultKeyPolicy: a key whose policy (KMS's default) does not let Route 53's
// DNSSEC service use it cannot back a key-signing key.
func TestKSKWithDefaultKeyPolicy(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	c := run(t, ctx)
	k, r := clients(t, ctx, c, "test", "test")

	arn := signingKey(t, ctx, k, "")
	zone := hostedZone(t, ctx, r, "example.test")
	_, err := r.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{
		CallerReference: aws.String("ksk-1"), HostedZoneId: aws.String(zone), KeyManagementServiceArn: aws.String(arn),
		Name: aws.String("ksk_one"), Status: aws.String("ACTIVE"),
	})
	var invalid *types.InvalidKMSArn
	require.ErrorAs(t, err, &invalid)
	require.Contains(t, invalid.ErrorMessage(), arn)
}

// TestOptions starts kms53 with each Option and checks that it took effect, and that the ports
// are published on loopback only.
func TestOptions(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	config := []byte(`identities:
  - accessKeyId: AKIAOPERATOR
    secretAccessKey: operator-secret
    arn: arn:aws:iam::444455556666:role/DNSSECOperator
    sessionName: ci
    policies:
      - name: kms
        document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: ["kms:CreateKey", "kms:DescribeKey"]
              Resource: "*"
`)
	c := run(t, ctx, container.WithAccount("444455556666"), container.WithRegion("eu-west-1"),
		container.WithSigV4("strict"), container.WithConfig(config))

	// The configured role creates a key in the default account; the region is the client's.
	k, _ := clients(t, ctx, c, "AKIAOPERATOR", "operator-secret")
	out, err := k.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(aws.ToString(out.KeyMetadata.Arn), "arn:aws:kms:us-east-1:444455556666:key/"),
		"key ARN = %s", aws.ToString(out.KeyMetadata.Arn))

	// Strict SigV4 refuses an access key that -config does not know.
	k, _ = clients(t, ctx, c, "AKIAUNKNOWN", "whatever")
	_, err = k.ListKeys(ctx, &kms.ListKeysInput{})
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, "UnrecognizedClientException", apiErr.ErrorCode())

	// The ready line names the flags kms53 runs with.
	logs, err := c.Logs(ctx)
	require.NoError(t, err)
	defer logs.Close()
	text, err := io.ReadAll(logs)
	require.NoError(t, err)
	for _, want := range []string{"account=444455556666", "region=eu-west-1", "sigv4=strict"} {
		require.Contains(t, string(text), want)
	}

	// Published on 127.0.0.1 only, when the daemon publishes on this machine.
	endpoint, err := c.Endpoint(ctx, "http")
	require.NoError(t, err)
	if strings.HasPrefix(endpoint, "http://127.0.0.1:") {
		info, err := c.Inspect(ctx)
		require.NoError(t, err)
		for _, p := range []string{"4566/tcp", "1053/udp", "1053/tcp"} {
			bindings := info.NetworkSettings.Ports[network.MustParsePort(p)]
			require.NotEmpty(t, bindings, "port %s is not published", p)
			for _, pb := range bindings {
				require.Equal(t, netip.MustParseAddr("127.0.0.1"), pb.HostIP, "port %s published on %v", p, pb.HostIP)
			}
		}
	}
}

// TestRunOptionErrors: a bad Option fails Run before any container is made, so Docker is not
// needed.
func TestRunOptionErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		opt  container.Option
		want string
	}{
		{"account not 12 digits", container.WithAccount("1234"), `account "1234" is not 12 digits`},
		{"empty region", container.WithRegion(""), "empty region"},
		{"unknown sigv4 mode", container.WithSigV4("lax"), `sigv4 mode "lax" is neither relaxed nor strict`},
		{"config with a typo", container.WithConfig([]byte("identitties: []\n")), "field identitties not found"},
		{"config file missing", container.WithConfigFile(filepath.Join(dir, "none.yaml")), "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := container.Run(t.Context(), "kms53:never-started", tt.opt)
			require.Nil(t, c)
			require.ErrorContains(t, err, tt.want)
		})
	}
}
