package emulator_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/miekg/dns"

	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/emulator/access"
	"github.com/kms53/kms53/emulator/auth"
)

// route53Principal is the service principal Route 53 DNSSEC calls KMS as.
const route53Principal = "dnssec-route53.amazonaws.com"

// Statements of the key policies the DNSSEC tests use: the account root's, and the two Route 53
// statements AWS documents (AWS-BEHAVIOUR §6.2).
const (
	stmtAccountRoot = `{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`
	stmtRoute53Use  = `{"Sid":"Allow Route 53 DNSSEC Service","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},` +
		`"Action":["kms:DescribeKey","kms:GetPublicKey","kms:Sign"],"Resource":"*"}`
	stmtRoute53Grant = `{"Sid":"Allow Route 53 DNSSEC to CreateGrant","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},` +
		`"Action":["kms:CreateGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":true}}}`
	stmtDenyRoute53 = `{"Sid":"Deny Route 53","Effect":"Deny","Principal":{"Service":"dnssec-route53.amazonaws.com"},"Action":"kms:*","Resource":"*"}`
)

// stmtRoute53UseFor is the Route 53 statement limited to one hosted zone, against the confused
// deputy (AWS-BEHAVIOUR §6.2).
func stmtRoute53UseFor(zoneID string) string {
	return `{"Sid":"Allow Route 53 DNSSEC Service","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},` +
		`"Action":["kms:DescribeKey","kms:GetPublicKey","kms:Sign"],"Resource":"*",` +
		`"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnEquals":{"aws:SourceArn":"arn:aws:route53:::hostedzone/` + zoneID + `"}}}`
}

// keyPolicy is a key policy document of statements.
func keyPolicy(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// dnssecPolicy is the key policy of a KSK's key as AWS documents it.
var dnssecPolicy = keyPolicy(stmtAccountRoot, stmtRoute53Use, stmtRoute53Grant)

// A DNS administrator whose identity policy allows Route 53 and reading KMS keys, but not kms:Sign.
const (
	kskAdminKey = "AKIAKSKADMIN0000001"
	kskAdminARN = "arn:aws:iam::111122223333:user/kskadmin"
)

var dnssecIdentities = []auth.Identity{
	{AccessKeyID: kskAdminKey, SecretAccessKey: "kskadmin-secret", ARN: kskAdminARN,
		Policies: []auth.IdentityPolicy{{Name: "dns", Document: `{"Version":"2012-10-17","Statement":[` +
			`{"Effect":"Allow","Action":"route53:*","Resource":"*"},` +
			`{"Effect":"Allow","Action":["kms:DescribeKey","kms:GetPublicKey"],"Resource":"*"}]}`}}},
}

// dnssecEnv is an emulator with dnssecIdentities and clients of the default account's root.
type dnssecEnv struct {
	*testEnv
	kms *kms.Client
	r53 *route53.Client
}

func newDNSSECEnv(t testing.TB, opts emulator.Options) *dnssecEnv {
	t.Helper()
	opts.Identities = dnssecIdentities
	env := newRoute53Env(t, opts)
	return &dnssecEnv{testEnv: env, kms: env.KMS(), r53: env.R53()}
}

// key creates an ECC_NIST_P256 SIGN_VERIFY key in us-east-1 with policy and returns its ARN.
func (e *dnssecEnv) key(t *testing.T, policy string) string {
	t.Helper()
	return aws.ToString(createSigningKey(t, e.kms, policy).Arn)
}

// zone creates a public hosted zone and returns its bare id.
func (e *dnssecEnv) zone(t testing.TB, name string) string {
	t.Helper()
	return zoneID(createZone(t, e.r53, name).HostedZone)
}

// createKSK calls CreateKeySigningKey with a fresh caller reference.
func createKSK(c *route53.Client, zone, name, arn string, status string) (*route53.CreateKeySigningKeyOutput, error) {
	return c.CreateKeySigningKey(context.Background(), &route53.CreateKeySigningKeyInput{
		CallerReference: aws.String(fmt.Sprintf("ksk-%d", callerRefs.Add(1))), HostedZoneId: aws.String(zone),
		KeyManagementServiceArn: aws.String(arn), Name: aws.String(name), Status: aws.String(status),
	})
}

// signingZone creates a zone with one ACTIVE KSK, ksk_one, whose key has dnssecPolicy, and enables
// DNSSEC signing. It returns the zone id and the key ARN.
func (e *dnssecEnv) signingZone(t *testing.T, name string) (zone, arn string) {
	t.Helper()
	arn = e.key(t, dnssecPolicy)
	zone = e.zone(t, name)
	need(createKSK(e.r53, zone, "ksk_one", arn, "ACTIVE"))(t)
	need(e.r53.EnableHostedZoneDNSSEC(context.Background(), &route53.EnableHostedZoneDNSSECInput{HostedZoneId: aws.String(zone)}))(t)
	return zone, arn
}

// getDNSSEC returns a zone's GetDNSSEC answer.
func (e *dnssecEnv) getDNSSEC(t testing.TB, zone string) *route53.GetDNSSECOutput {
	t.Helper()
	return need(e.r53.GetDNSSEC(context.Background(), &route53.GetDNSSECInput{HostedZoneId: aws.String(zone)}))(t)
}

// kskNamed finds a KSK of a GetDNSSEC answer by name.
func kskNamed(t testing.TB, out *route53.GetDNSSECOutput, name string) types.KeySigningKey {
	t.Helper()
	i := slices.IndexFunc(out.KeySigningKeys, func(k types.KeySigningKey) bool { return aws.ToString(k.Name) == name })
	if i < 0 {
		t.Fatalf("GetDNSSEC has no KSK %s: %+v", name, out.KeySigningKeys)
	}
	return out.KeySigningKeys[i]
}

// wantDNSSEC asserts a zone's ServeSignature and the Status of each named KSK (name, status pairs).
func (e *dnssecEnv) wantDNSSEC(t testing.TB, zone, serve string, kskStatus ...string) *route53.GetDNSSECOutput {
	t.Helper()
	out := e.getDNSSEC(t, zone)
	if got := aws.ToString(out.Status.ServeSignature); got != serve {
		t.Errorf("ServeSignature = %s, want %s", got, serve)
	}
	for i := 0; i+1 < len(kskStatus); i += 2 {
		k := kskNamed(t, out, kskStatus[i])
		if got := aws.ToString(k.Status); got != kskStatus[i+1] {
			t.Errorf("KSK %s Status = %s (%q), want %s", kskStatus[i], got, aws.ToString(k.StatusMessage), kskStatus[i+1])
		}
	}
	return out
}

// wantInsync asserts that a DNSSEC call's ChangeInfo is PENDING and that GetChange reports it
// INSYNC (the default propagation delay is 0).
func wantInsync(t testing.TB, c *route53.Client, ci *types.ChangeInfo) {
	t.Helper()
	if ci == nil || ci.Status != types.ChangeStatusPending || !strings.HasPrefix(aws.ToString(ci.Id), "/change/") || ci.SubmittedAt == nil {
		t.Fatalf("ChangeInfo = %+v, want a PENDING /change/ with SubmittedAt", ci)
	}
	got := need(c.GetChange(context.Background(), &route53.GetChangeInput{Id: ci.Id}))(t).ChangeInfo
	if got.Status != types.ChangeStatusInsync || aws.ToString(got.Id) != aws.ToString(ci.Id) {
		t.Errorf("GetChange(%s) = %s %s, want INSYNC", aws.ToString(ci.Id), aws.ToString(got.Id), got.Status)
	}
}

// route53Grants lists the grants on a key whose grantee is Route 53's service principal.
func route53Grants(t testing.TB, c *kms.Client, arn string) []kmstypes.GrantListEntry {
	t.Helper()
	var out []kmstypes.GrantListEntry
	for _, g := range need(c.ListGrants(context.Background(), &kms.ListGrantsInput{KeyId: aws.String(arn)}))(t).Grants {
		if aws.ToString(g.GranteeServicePrincipal) == route53Principal {
			out = append(out, g)
		}
	}
	return out
}

// kskWant is what a KSK's DNSSEC fields must be, computed in the test from the KMS public key.
type kskWant struct {
	PublicKey, DNSKEYRecord, DSRecord, DigestValue string
	KeyTag                                         int32
}

// expectedKSK computes a KSK's fields independently of the emulator's DNSSEC code: the DER from
// KMS GetPublicKey, X‖Y by crypto/x509, key tag and DS digest by miekg/dns.
func expectedKSK(t testing.TB, c *kms.Client, arn, zone string) kskWant {
	t.Helper()
	der := need(c.GetPublicKey(context.Background(), &kms.GetPublicKeyInput{KeyId: aws.String(arn)}))(t).PublicKey
	pub, ok := need(x509.ParsePKIXPublicKey(der))(t).(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Fatalf("public key of %s is %T, want an ECDSA P-256 key", arn, pub)
	}
	point := need(pub.Bytes())(t) // 0x04 ‖ X ‖ Y
	if len(point) != 65 || point[0] != 4 || string(der[len(der)-65:]) != string(point) {
		t.Fatalf("uncompressed point %x does not end the SPKI %x", point, der)
	}
	key := &dns.DNSKEY{
		Hdr:   dns.RR_Header{Name: dns.Fqdn(zone), Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 3600},
		Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256,
		PublicKey: base64.StdEncoding.EncodeToString(point[1:]),
	}
	ds := key.ToDS(dns.SHA256)
	if ds == nil {
		t.Fatal("miekg/dns could not compute the DS")
	}
	digest := strings.ToUpper(ds.Digest)
	return kskWant{
		PublicKey:    key.PublicKey,
		DNSKEYRecord: "257 3 13 " + key.PublicKey,
		DSRecord:     fmt.Sprintf("%d 13 2 %s", key.KeyTag(), digest),
		DigestValue:  digest,
		KeyTag:       int32(key.KeyTag()),
	}
}

// checkKSK compares a KSK with what it must be.
func checkKSK(t testing.TB, k types.KeySigningKey, name, arn, status string, want kskWant, created, modified time.Time) {
	t.Helper()
	got := fmt.Sprintf("Name=%s KmsArn=%s Flag=%d Signing=%s/%d Digest=%s/%d KeyTag=%d DigestValue=%s PublicKey=%s DSRecord=%q DNSKEYRecord=%q Status=%s",
		aws.ToString(k.Name), aws.ToString(k.KmsArn), k.Flag, aws.ToString(k.SigningAlgorithmMnemonic), k.SigningAlgorithmType,
		aws.ToString(k.DigestAlgorithmMnemonic), k.DigestAlgorithmType, k.KeyTag, aws.ToString(k.DigestValue),
		aws.ToString(k.PublicKey), aws.ToString(k.DSRecord), aws.ToString(k.DNSKEYRecord), aws.ToString(k.Status))
	exp := fmt.Sprintf("Name=%s KmsArn=%s Flag=257 Signing=ECDSAP256SHA256/13 Digest=SHA-256/2 KeyTag=%d DigestValue=%s PublicKey=%s DSRecord=%q DNSKEYRecord=%q Status=%s",
		name, arn, want.KeyTag, want.DigestValue, want.PublicKey, want.DSRecord, want.DNSKEYRecord, status)
	if got != exp {
		t.Errorf("KSK\n got %s\nwant %s", got, exp)
	}
	if c := aws.ToTime(k.CreatedDate); !c.Equal(created) {
		t.Errorf("KSK %s CreatedDate = %v, want %v", name, c, created)
	}
	if m := aws.ToTime(k.LastModifiedDate); !m.Equal(modified) {
		t.Errorf("KSK %s LastModifiedDate = %v, want %v", name, m, modified)
	}
}

// decisions reads the decision log of the admin API.
func decisions(t testing.TB, url string) []access.Decision {
	t.Helper()
	resp, err := http.Get(url + "/_kms53/decisions")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Decisions []access.Decision }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Decisions
}

func TestDNSSECSigningHappyPath(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	arn := e.key(t, dnssecPolicy)
	zone := e.zone(t, "example.test")
	zoneArg := aws.String(zone)

	created := need(createKSK(e.r53, zone, "ksk_one", arn, "ACTIVE"))(t)
	wantInsync(t, e.r53, created.ChangeInfo)
	raw, _ := awsmiddleware.GetRawResponse(created.ResultMetadata).(*smithyhttp.Response)
	if raw == nil || raw.StatusCode != http.StatusCreated || raw.Header.Get("Location") == "" {
		t.Errorf("CreateKeySigningKey response = %+v, want 201 with a Location", raw)
	}
	want := expectedKSK(t, e.kms, arn, "example.test")
	checkKSK(t, *created.KeySigningKey, "ksk_one", arn, "ACTIVE", want, t0, t0)

	enabled := need(e.r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: zoneArg}))(t)
	wantInsync(t, e.r53, enabled.ChangeInfo)
	got := e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE")
	if len(got.KeySigningKeys) != 1 {
		t.Fatalf("GetDNSSEC KSKs = %+v, want 1", got.KeySigningKeys)
	}
	checkKSK(t, got.KeySigningKeys[0], "ksk_one", arn, "ACTIVE", want, t0, t0)
	if got.KeySigningKeys[0].StatusMessage != nil {
		t.Errorf("ACTIVE KSK StatusMessage = %q, want none", aws.ToString(got.KeySigningKeys[0].StatusMessage))
	}

	// Route 53's grant: for its service principal, on this zone only.
	grants := route53Grants(t, e.kms, arn)
	if len(grants) != 1 {
		t.Fatalf("Route 53 grants = %+v, want 1", grants)
	}
	g := grants[0]
	ops := fmt.Sprint(g.Operations)
	for _, op := range []string{"DescribeKey", "GetPublicKey", "Sign"} {
		if !strings.Contains(ops, op) {
			t.Errorf("grant operations %s lack %s", ops, op)
		}
	}
	if g.Constraints == nil || aws.ToString(g.Constraints.SourceArn) != "arn:aws:route53:::hostedzone/"+zone || aws.ToString(g.KeyId) != arn {
		t.Errorf("grant = key %s constraints %+v, want key %s with SourceArn arn:aws:route53:::hostedzone/%s", aws.ToString(g.KeyId), g.Constraints, arn, zone)
	}

	// The decision log shows Route 53's own KMS calls, with the zone as aws:SourceArn.
	seen := map[string]bool{}
	for _, d := range decisions(t, e.URL) {
		if d.Caller != route53Principal || d.Resource != arn {
			continue
		}
		if d.Effect != "Allow" {
			t.Errorf("Route 53's %s was %s: %s", d.Action, d.Effect, d.Reason)
		}
		if src := d.Context["aws:sourcearn"]; len(src) != 1 || src[0] != "arn:aws:route53:::hostedzone/"+zone {
			t.Errorf("Route 53's %s had aws:SourceArn %v", d.Action, src)
		}
		seen[d.Action] = true
	}
	for _, a := range []string{"kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:CreateGrant"} {
		if !seen[a] {
			t.Errorf("decision log has no %s by %s (saw %v)", a, route53Principal, seen)
		}
	}

	// Disabling leaves the KSK ACTIVE; deactivating and deleting it retires Route 53's grant.
	e.Server.Advance(time.Hour)
	disabled := need(e.r53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: zoneArg}))(t)
	wantInsync(t, e.r53, disabled.ChangeInfo)
	e.wantDNSSEC(t, zone, "NOT_SIGNING", "ksk_one", "ACTIVE")
	deactivated := need(e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: zoneArg, Name: aws.String("ksk_one")}))(t)
	wantInsync(t, e.r53, deactivated.ChangeInfo)
	got = e.wantDNSSEC(t, zone, "NOT_SIGNING", "ksk_one", "INACTIVE")
	checkKSK(t, got.KeySigningKeys[0], "ksk_one", arn, "INACTIVE", want, t0, t0.Add(time.Hour))
	if n := len(route53Grants(t, e.kms, arn)); n != 1 {
		t.Errorf("after deactivation Route 53 has %d grants, want 1 until the KSK is deleted", n)
	}
	deleted := need(e.r53.DeleteKeySigningKey(ctx, &route53.DeleteKeySigningKeyInput{HostedZoneId: zoneArg, Name: aws.String("ksk_one")}))(t)
	wantInsync(t, e.r53, deleted.ChangeInfo)
	if gs := route53Grants(t, e.kms, arn); len(gs) != 0 {
		t.Errorf("after DeleteKeySigningKey Route 53 grants = %+v, want none", gs)
	}
	if out := e.wantDNSSEC(t, zone, "NOT_SIGNING"); len(out.KeySigningKeys) != 0 {
		t.Errorf("after DeleteKeySigningKey KSKs = %+v, want none", out.KeySigningKeys)
	}
	need(e.r53.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: zoneArg}))(t)
}

func TestDNSSECFreshZoneNotSigning(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	zone := e.zone(t, "fresh.example")
	out := e.wantDNSSEC(t, zone, "NOT_SIGNING")
	if len(out.KeySigningKeys) != 0 {
		t.Errorf("KeySigningKeys = %+v, want none", out.KeySigningKeys)
	}
	if out.Status.StatusMessage != nil {
		t.Errorf("StatusMessage = %q, want none", aws.ToString(out.Status.StatusMessage))
	}
}

// TestDNSSECTwoKSKs signs with two ACTIVE KSKs on different keys; each has its own grant and its
// own values, and either may be deactivated while the other signs.
func TestDNSSECTwoKSKs(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	zone, arn1 := e.signingZone(t, "two.example")
	arn2 := e.key(t, dnssecPolicy)
	e.Server.Advance(time.Minute)
	need(createKSK(e.r53, zone, "ksk_two", arn2, "ACTIVE"))(t)
	out := e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE", "ksk_two", "ACTIVE")
	checkKSK(t, kskNamed(t, out, "ksk_one"), "ksk_one", arn1, "ACTIVE", expectedKSK(t, e.kms, arn1, "two.example."), t0, t0)
	checkKSK(t, kskNamed(t, out, "ksk_two"), "ksk_two", arn2, "ACTIVE", expectedKSK(t, e.kms, arn2, "two.example."), t0.Add(time.Minute), t0.Add(time.Minute))
	if len(route53Grants(t, e.kms, arn1)) != 1 || len(route53Grants(t, e.kms, arn2)) != 1 {
		t.Error("each KSK's key should carry one Route 53 grant")
	}
	need(e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: aws.String(zone), Name: aws.String("ksk_one")}))(t)
	e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "INACTIVE", "ksk_two", "ACTIVE")
	activated := need(e.r53.ActivateKeySigningKey(ctx, &route53.ActivateKeySigningKeyInput{HostedZoneId: aws.String(zone), Name: aws.String("ksk_one")}))(t)
	wantInsync(t, e.r53, activated.ChangeInfo)
	e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE", "ksk_two", "ACTIVE")
	if n := len(route53Grants(t, e.kms, arn1)); n != 1 {
		t.Errorf("after re-activation the key has %d Route 53 grants, want 1", n)
	}
}
