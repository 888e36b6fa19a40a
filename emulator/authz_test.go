package emulator_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"

	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/emulator/auth"
)

// Access keys of the identities the authorization tests use.
const (
	adminKey   = "AKIAADMIN0000000001"
	noSignKey  = "AKIANOSIGN000000001"
	blockedKey = "AKIABLOCKED00000001"
	granteeKey = "AKIAGRANTEE00000001"
	denyAllKey = "AKIADENYALL00000001"
	otherRoot  = "444455556666"
)

// testIdentities are an admin, a user whose identity policy lacks kms:Sign, a role the key
// policies deny, a user with no policies (who can only get in through grants), and a user whose
// identity policy denies kms:Sign explicitly.
var testIdentities = []auth.Identity{
	{AccessKeyID: adminKey, SecretAccessKey: "admin-secret", ARN: "arn:aws:iam::111122223333:user/admin",
		Policies: []auth.IdentityPolicy{{Name: "admin", Document: `{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"kms:*","Resource":"*"}]}`}}},
	{AccessKeyID: noSignKey, SecretAccessKey: "nosign-secret", ARN: "arn:aws:iam::111122223333:user/nosign",
		Policies: []auth.IdentityPolicy{{Name: "read-only", Document: `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["kms:DescribeKey","kms:GetPublicKey","kms:List*"],"Resource":"*"}]}`}}},
	{AccessKeyID: blockedKey, SecretAccessKey: "blocked-secret", ARN: "arn:aws:iam::111122223333:role/Blocked", SessionName: "ci",
		Policies: []auth.IdentityPolicy{{Name: "admin", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`}}},
	{AccessKeyID: granteeKey, SecretAccessKey: "grantee-secret", ARN: "arn:aws:iam::111122223333:user/grantee"},
	{AccessKeyID: denyAllKey, SecretAccessKey: "denyall-secret", ARN: "arn:aws:iam::111122223333:user/denied",
		Policies: []auth.IdentityPolicy{
			{Name: "allow", Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`},
			{Name: "no-sign", Document: `{"Version":"2012-10-17","Statement":[{"Sid":"NoSign","Effect":"Deny","Action":"kms:Sign","Resource":"*"}]}`},
		}},
}

// newAuthzEnv starts an emulator with testIdentities and the given options.
func newAuthzEnv(t testing.TB, opts emulator.Options) *testEnv {
	t.Helper()
	opts.Identities = testIdentities
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return t0 }
	}
	opts.Rand = rand.NewChaCha8([32]byte{'a', 'u', 't', 'h'})
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testEnv{Server: srv, URL: hs.URL}
}

// blockedPolicy is the default key policy plus an explicit deny of the Blocked role.
const blockedPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"BlockTheRole","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/Blocked"},"Action":"kms:*","Resource":"*"}]}`

func createSigningKey(t *testing.T, c *kms.Client, policy string) *types.KeyMetadata {
	t.Helper()
	in := &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify}
	if policy != "" {
		in.Policy = aws.String(policy)
	}
	return need(c.CreateKey(context.Background(), in))(t).KeyMetadata
}

func signZoneData(ctx context.Context, c *kms.Client, keyID string) (*kms.SignOutput, error) {
	return c.Sign(ctx, &kms.SignInput{KeyId: aws.String(keyID), Message: []byte("zone data"),
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
}

// wantDenied asserts an AccessDeniedException (which KMS does not model, so it arrives as a
// smithy.APIError) with exactly msg.
func wantDenied(t *testing.T, err error, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want AccessDeniedException", err)
	}
	if ae.ErrorCode() != "AccessDeniedException" || ae.ErrorMessage() != msg {
		t.Fatalf("error = %s: %q\nwant AccessDeniedException: %q", ae.ErrorCode(), ae.ErrorMessage(), msg)
	}
}

func TestAuthorizationByIdentity(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	admin := env.Client(adminKey, defaultRegion)
	open := createSigningKey(t, admin, "")
	blocked := createSigningKey(t, admin, blockedPolicy)
	arn := *open.Arn

	tests := []struct {
		name   string
		client *kms.Client
		keyID  string
		denied string // the AccessDeniedException message; empty: allowed
	}{
		{"admin via IAM delegation", admin, arn, ""},
		{"root of the account directly", env.Client(defaultAccount, defaultRegion), arn, ""},
		{"user whose identity policy lacks kms:Sign", env.Client(noSignKey, defaultRegion), arn,
			"User: arn:aws:iam::111122223333:user/nosign is not authorized to perform: kms:Sign on resource: " + arn +
				" because no identity-based policy allows the kms:Sign action"},
		{"explicit deny in an identity policy", env.Client(denyAllKey, defaultRegion), arn,
			"User: arn:aws:iam::111122223333:user/denied is not authorized to perform: kms:Sign on resource: " + arn +
				" with an explicit deny in an identity-based policy"},
		{"role denied by the key policy", env.Client(blockedKey, defaultRegion), *blocked.Arn,
			"User: arn:aws:sts::111122223333:assumed-role/Blocked/ci is not authorized to perform: kms:Sign on resource: " + *blocked.Arn +
				" with an explicit deny in a resource-based policy"},
		{"user with no policies", env.Client(granteeKey, defaultRegion), arn,
			"User: arn:aws:iam::111122223333:user/grantee is not authorized to perform: kms:Sign on resource: " + arn +
				" because no identity-based policy allows the kms:Sign action"},
		{"another account's root, by key ARN", env.Client(otherRoot, defaultRegion), arn,
			"User: arn:aws:iam::444455556666:root is not authorized to perform: kms:Sign on resource: " + arn +
				" because no resource-based policy allows the kms:Sign action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := signZoneData(ctx, tt.client, tt.keyID)
			if tt.denied == "" {
				if err != nil {
					t.Fatalf("Sign: %v", err)
				}
				if aws.ToString(out.KeyId) != tt.keyID {
					t.Errorf("KeyId = %s, want %s", aws.ToString(out.KeyId), tt.keyID)
				}
				return
			}
			wantDenied(t, err, tt.denied)
		})
	}
}

func TestAuthorizationIAMOnlyActions(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	grantee := env.Client(granteeKey, defaultRegion)
	_, err := grantee.ListKeys(ctx, &kms.ListKeysInput{})
	wantDenied(t, err, "User: arn:aws:iam::111122223333:user/grantee is not authorized to perform: kms:ListKeys on resource: * because no identity-based policy allows the kms:ListKeys action")
	_, err = grantee.CreateKey(ctx, &kms.CreateKeyInput{})
	wantDenied(t, err, "User: arn:aws:iam::111122223333:user/grantee is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action")
	if _, err := env.Client(noSignKey, defaultRegion).ListKeys(ctx, &kms.ListKeysInput{}); err != nil {
		t.Errorf("ListKeys with kms:List* allowed: %v", err)
	}
	if _, err := env.Client(noSignKey, defaultRegion).ListAliases(ctx, &kms.ListAliasesInput{}); err != nil {
		t.Errorf("ListAliases with kms:List* allowed: %v", err)
	}
}

func TestAuthorizationThroughGrant(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	admin := env.Client(adminKey, defaultRegion)
	grantee := env.Client(granteeKey, defaultRegion)
	key := createSigningKey(t, admin, "")
	if _, err := signZoneData(ctx, grantee, *key.Arn); err == nil {
		t.Fatal("Sign before the grant succeeded")
	}
	g := need(admin.CreateGrant(ctx, &kms.CreateGrantInput{
		KeyId: key.KeyId, GranteePrincipal: aws.String("arn:aws:iam::111122223333:user/grantee"),
		RetiringPrincipal: aws.String("arn:aws:iam::111122223333:user/admin"),
		Operations:        []types.GrantOperation{types.GrantOperationSign, types.GrantOperationGetPublicKey},
		Name:              aws.String("sign-for-grantee"),
	}))(t)
	out, err := signZoneData(ctx, grantee, *key.Arn)
	if err != nil {
		t.Fatalf("Sign through the grant: %v", err)
	}
	// The signature is real: check it against the public key out of band.
	pub := need(grantee.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: key.Arn}))(t)
	pk := need(x509.ParsePKIXPublicKey(pub.PublicKey))(t).(*ecdsa.PublicKey)
	digest := sha256.Sum256([]byte("zone data"))
	if !ecdsa.VerifyASN1(pk, digest[:], out.Signature) {
		t.Error("signature made through a grant does not verify")
	}
	// Verify is not in the grant.
	_, err = grantee.Verify(ctx, &kms.VerifyInput{KeyId: key.Arn, Message: []byte("zone data"), Signature: out.Signature,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	wantDenied(t, err, "User: arn:aws:iam::111122223333:user/grantee is not authorized to perform: kms:Verify on resource: "+*key.Arn+
		" because no identity-based policy allows the kms:Verify action")

	// Name makes CreateGrant idempotent.
	again := need(admin.CreateGrant(ctx, &kms.CreateGrantInput{
		KeyId: key.KeyId, GranteePrincipal: aws.String("arn:aws:iam::111122223333:user/grantee"),
		RetiringPrincipal: aws.String("arn:aws:iam::111122223333:user/admin"),
		Operations:        []types.GrantOperation{types.GrantOperationGetPublicKey, types.GrantOperationSign},
		Name:              aws.String("sign-for-grantee"),
	}))(t)
	if *again.GrantId != *g.GrantId {
		t.Errorf("retried named grant id = %s, want %s", *again.GrantId, *g.GrantId)
	}
	list := need(admin.ListGrants(ctx, &kms.ListGrantsInput{KeyId: key.KeyId}))(t)
	if len(list.Grants) != 1 || *list.Grants[0].GrantId != *g.GrantId || *list.Grants[0].KeyId != *key.Arn ||
		*list.Grants[0].IssuingAccount != "arn:aws:iam::111122223333:root" || *list.Grants[0].Name != "sign-for-grantee" {
		t.Fatalf("ListGrants = %+v", list.Grants)
	}
	retirable := need(admin.ListRetirableGrants(ctx, &kms.ListRetirableGrantsInput{RetiringPrincipal: aws.String("arn:aws:iam::111122223333:user/admin")}))(t)
	if len(retirable.Grants) != 1 {
		t.Fatalf("ListRetirableGrants = %d grants, want 1", len(retirable.Grants))
	}

	// The grantee cannot retire it (no RetireGrant operation, not the retiring principal)...
	_, err = grantee.RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g.GrantToken})
	wantCode(t, err, "AccessDeniedException")
	// ...the retiring principal can, and then the grant no longer authorizes.
	need(admin.RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g.GrantToken}))(t)
	_, err = signZoneData(ctx, grantee, *key.Arn)
	wantCode(t, err, "AccessDeniedException")
	_, err = admin.RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g.GrantToken})
	asErr[*types.InvalidGrantTokenException](t, err)
}

func TestRevokeGrantStopsSigning(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	admin := env.Client(adminKey, defaultRegion)
	key := createSigningKey(t, admin, "")
	g := need(admin.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: key.Arn,
		GranteePrincipal: aws.String("arn:aws:iam::111122223333:user/grantee"), Operations: []types.GrantOperation{types.GrantOperationSign}}))(t)
	grantee := env.Client(granteeKey, defaultRegion)
	need(signZoneData(ctx, grantee, *key.Arn))(t)
	need(admin.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: key.KeyId, GrantId: g.GrantId}))(t)
	_, err := signZoneData(ctx, grantee, *key.Arn)
	wantCode(t, err, "AccessDeniedException")
	_, err = admin.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: key.KeyId, GrantId: g.GrantId})
	asErr[*types.NotFoundException](t, err)
	_, err = admin.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: key.KeyId, GrantId: aws.String("not-a-grant")})
	asErr[*types.InvalidGrantIdException](t, err)
}

func TestCreateGrantValidation(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	admin := env.Client(adminKey, defaultRegion)
	key := createSigningKey(t, admin, "")
	grantee := aws.String("arn:aws:iam::111122223333:user/grantee")
	tests := []struct {
		name string
		in   kms.CreateGrantInput
		code string
	}{
		{"operation the key does not support", kms.CreateGrantInput{GranteePrincipal: grantee, Operations: []types.GrantOperation{types.GrantOperationDecrypt}}, "ValidationException"},
		{"unknown operation", kms.CreateGrantInput{GranteePrincipal: grantee, Operations: []types.GrantOperation{"Launch"}}, "ValidationException"},
		{"grantee and service grantee", kms.CreateGrantInput{GranteePrincipal: grantee, GranteeServicePrincipal: aws.String("dnssec-route53.amazonaws.com"), Operations: []types.GrantOperation{types.GrantOperationSign}}, "ValidationException"},
		{"service grantee without SourceArn", kms.CreateGrantInput{GranteeServicePrincipal: aws.String("dnssec-route53.amazonaws.com"), RetiringPrincipal: grantee, Operations: []types.GrantOperation{types.GrantOperationSign}}, "ValidationException"},
		{"encryption context on an asymmetric key", kms.CreateGrantInput{GranteePrincipal: grantee, Operations: []types.GrantOperation{types.GrantOperationSign},
			Constraints: &types.GrantConstraints{EncryptionContextEquals: map[string]string{"a": "b"}}}, "ValidationException"},
		{"malformed grantee", kms.CreateGrantInput{GranteePrincipal: aws.String("bob"), Operations: []types.GrantOperation{types.GrantOperationSign}}, "ValidationException"},
		{"dry run", kms.CreateGrantInput{GranteePrincipal: grantee, Operations: []types.GrantOperation{types.GrantOperationSign}, DryRun: aws.Bool(true)}, "DryRunOperationException"},
	}
	// The group returns once its parallel subtests have run, so the check after it sees them all.
	t.Run("refusals", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				in := tt.in
				in.KeyId = key.KeyId
				_, err := admin.CreateGrant(ctx, &in)
				wantCode(t, err, tt.code)
			})
		}
	})
	if n := len(need(admin.ListGrants(ctx, &kms.ListGrantsInput{KeyId: key.KeyId}))(t).Grants); n != 0 {
		t.Errorf("refused CreateGrant calls left %d grants", n)
	}
}

func TestCrossAccountThroughKeyPolicy(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	admin := env.Client(adminKey, defaultRegion)
	policy := `{"Version":"2012-10-17","Statement":[
	 {"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
	 {"Sid":"PartnerSigns","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["kms:Sign","kms:GetPublicKey"],"Resource":"*",
	  "Condition":{"StringEquals":{"kms:CallerAccount":"444455556666"}}}]}`
	key := createSigningKey(t, admin, policy)
	partner := env.Client(otherRoot, defaultRegion)
	need(signZoneData(ctx, partner, *key.Arn))(t)
	// Cross-account access needs the ARN: a bare key id names a key of the caller's own account.
	_, err := signZoneData(ctx, partner, *key.KeyId)
	asErr[*types.NotFoundException](t, err)
	_, err = partner.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.Arn})
	wantDenied(t, err, "User: arn:aws:iam::444455556666:root is not authorized to perform: kms:DescribeKey on resource: "+*key.Arn+
		" because no resource-based policy allows the kms:DescribeKey action")
}

func TestPutKeyPolicyLockoutSafetyCheck(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	admin := env.Client(adminKey, defaultRegion)
	key := createSigningKey(t, admin, "")
	lockout := `{"Version":"2012-10-17","Statement":[{"Sid":"R53","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},"Action":"kms:Sign","Resource":"*"}]}`
	tests := []struct {
		name, policy string
		bypass       bool
		code, msg    string
	}{
		{"locks the caller out", lockout, false, "MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future."},
		{"bypass", lockout, true, "", ""},
		{"invalid principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"kms:*","Resource":"*"}]}`, true,
			"MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals."},
		{"too large", `{"Version":"2012-10-17","Statement":[],"Id":"` + strings.Repeat("x", 32800) + `"}`, true, "LimitExceededException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := createSigningKey(t, admin, "")
			_, err := admin.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: k.KeyId, Policy: aws.String(tt.policy),
				BypassPolicyLockoutSafetyCheck: tt.bypass})
			if tt.code == "" {
				if err != nil {
					t.Fatalf("PutKeyPolicy: %v", err)
				}
				return
			}
			got := wantCode(t, err, tt.code)
			if tt.msg != "" && got.ErrorMessage() != tt.msg {
				t.Errorf("message = %q, want %q", got.ErrorMessage(), tt.msg)
			}
		})
	}
	// CreateKey applies the same check to its Policy.
	_, err := admin.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify, Policy: aws.String(lockout)})
	asErr[*types.MalformedPolicyDocumentException](t, err)
	_ = key
}

func TestDecisionLogExplainsDenials(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{})
	ctx := context.Background()
	admin := env.Client(adminKey, defaultRegion)
	key := createSigningKey(t, admin, blockedPolicy)
	_, err := signZoneData(ctx, env.Client(blockedKey, defaultRegion), *key.Arn)
	wantCode(t, err, "AccessDeniedException")

	resp, err := http.Get(env.URL + "/_kms53/decisions?effect=Deny")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Decisions []struct {
			Caller, Action, Resource, Effect, Policy, Sid, Reason string
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if len(body.Decisions) != 1 {
		t.Fatalf("denials = %+v, want exactly one", body.Decisions)
	}
	d := body.Decisions[0]
	want := fmt.Sprint("arn:aws:sts::111122223333:assumed-role/Blocked/ci kms:Sign ", *key.Arn, " Deny key policy BlockTheRole")
	if got := fmt.Sprint(d.Caller, " ", d.Action, " ", d.Resource, " ", d.Effect, " ", d.Policy, " ", d.Sid); got != want {
		t.Errorf("decision = %q, want %q (reason %q)", got, want, d.Reason)
	}
}

func TestAllowAllSkipsEnforcement(t *testing.T) {
	t.Parallel()
	env := newAuthzEnv(t, emulator.Options{AllowAll: true})
	key := createSigningKey(t, env.Client(adminKey, defaultRegion), blockedPolicy)
	need(signZoneData(context.Background(), env.Client(blockedKey, defaultRegion), *key.Arn))(t)
}

// need returns v, failing the test at once if err is not nil: need(c.CreateKey(ctx, in))(t).
func need[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}
