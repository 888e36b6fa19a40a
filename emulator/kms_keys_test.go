package emulator_test

import (
	"context"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

var (
	ctx         = context.Background()
	uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	hexPattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

const day = 24 * time.Hour

// createKey creates a key of spec and usage (usage "" leaves KeyUsage out) and returns its metadata.
func createKey(t testing.TB, c *kms.Client, spec types.KeySpec, usage types.KeyUsageType) *types.KeyMetadata {
	t.Helper()
	out, err := c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage})
	if err != nil {
		t.Fatalf("CreateKey(%s, %s): %v", spec, usage, err)
	}
	return out.KeyMetadata
}

// signingKey creates an ECC_NIST_P256 SIGN_VERIFY key, the cheapest signing key.
func signingKey(t testing.TB, c *kms.Client) *types.KeyMetadata {
	t.Helper()
	return createKey(t, c, types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify)
}

func describe(t testing.TB, c *kms.Client, keyID string) *types.KeyMetadata {
	t.Helper()
	return must(c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)}))(t).KeyMetadata
}

func keyARN(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// listKeyIDs lists every key id ListKeys shows the client, following markers.
func listKeyIDs(t testing.TB, c *kms.Client) []string {
	t.Helper()
	var ids []string
	p := kms.NewListKeysPaginator(c, &kms.ListKeysInput{})
	for p.HasMorePages() {
		for _, k := range must(p.NextPage(ctx))(t).Keys {
			ids = append(ids, aws.ToString(k.KeyId))
		}
	}
	return ids
}

func sameSet[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	return true
}

func TestCreateKeyMetadata(t *testing.T) {
	t.Parallel()
	rsaSigning := []types.SigningAlgorithmSpec{
		"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
		"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
	}
	tests := []struct {
		name       string
		spec       types.KeySpec // "" leaves KeySpec out
		usage      types.KeyUsageType
		wantSpec   types.KeySpec
		wantUsage  types.KeyUsageType
		signing    []types.SigningAlgorithmSpec
		encryption []types.EncryptionAlgorithmSpec
		mac        []types.MacAlgorithmSpec
		agreement  []types.KeyAgreementAlgorithmSpec
	}{
		{name: "default is symmetric", wantSpec: "SYMMETRIC_DEFAULT", wantUsage: "ENCRYPT_DECRYPT",
			encryption: []types.EncryptionAlgorithmSpec{"SYMMETRIC_DEFAULT"}},
		{name: "SYMMETRIC_DEFAULT", spec: "SYMMETRIC_DEFAULT", usage: "ENCRYPT_DECRYPT", wantSpec: "SYMMETRIC_DEFAULT",
			wantUsage: "ENCRYPT_DECRYPT", encryption: []types.EncryptionAlgorithmSpec{"SYMMETRIC_DEFAULT"}},
		{name: "ECC_NIST_P256 sign", spec: "ECC_NIST_P256", usage: "SIGN_VERIFY", wantSpec: "ECC_NIST_P256",
			wantUsage: "SIGN_VERIFY", signing: []types.SigningAlgorithmSpec{"ECDSA_SHA_256"}},
		{name: "ECC_NIST_P384 sign", spec: "ECC_NIST_P384", usage: "SIGN_VERIFY", wantSpec: "ECC_NIST_P384",
			wantUsage: "SIGN_VERIFY", signing: []types.SigningAlgorithmSpec{"ECDSA_SHA_384"}},
		{name: "ECC_NIST_P521 sign", spec: "ECC_NIST_P521", usage: "SIGN_VERIFY", wantSpec: "ECC_NIST_P521",
			wantUsage: "SIGN_VERIFY", signing: []types.SigningAlgorithmSpec{"ECDSA_SHA_512"}},
		{name: "ECC_NIST_P256 key agreement", spec: "ECC_NIST_P256", usage: "KEY_AGREEMENT", wantSpec: "ECC_NIST_P256",
			wantUsage: "KEY_AGREEMENT", agreement: []types.KeyAgreementAlgorithmSpec{"ECDH"}},
		{name: "RSA_2048 sign", spec: "RSA_2048", usage: "SIGN_VERIFY", wantSpec: "RSA_2048",
			wantUsage: "SIGN_VERIFY", signing: rsaSigning},
		{name: "RSA_2048 encrypt", spec: "RSA_2048", usage: "ENCRYPT_DECRYPT", wantSpec: "RSA_2048",
			wantUsage: "ENCRYPT_DECRYPT", encryption: []types.EncryptionAlgorithmSpec{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}},
		{name: "HMAC_224", spec: "HMAC_224", usage: "GENERATE_VERIFY_MAC", wantSpec: "HMAC_224",
			wantUsage: "GENERATE_VERIFY_MAC", mac: []types.MacAlgorithmSpec{"HMAC_SHA_224"}},
		{name: "HMAC_256", spec: "HMAC_256", usage: "GENERATE_VERIFY_MAC", wantSpec: "HMAC_256",
			wantUsage: "GENERATE_VERIFY_MAC", mac: []types.MacAlgorithmSpec{"HMAC_SHA_256"}},
		{name: "HMAC_384", spec: "HMAC_384", usage: "GENERATE_VERIFY_MAC", wantSpec: "HMAC_384",
			wantUsage: "GENERATE_VERIFY_MAC", mac: []types.MacAlgorithmSpec{"HMAC_SHA_384"}},
		{name: "HMAC_512", spec: "HMAC_512", usage: "GENERATE_VERIFY_MAC", wantSpec: "HMAC_512",
			wantUsage: "GENERATE_VERIFY_MAC", mac: []types.MacAlgorithmSpec{"HMAC_SHA_512"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newEnv(t).KMS()
			out := must(c.CreateKey(ctx, &kms.CreateKeyInput{
				KeySpec: tt.spec, KeyUsage: tt.usage, Description: aws.String("key " + tt.name),
			}))(t)
			m := out.KeyMetadata
			id := aws.ToString(m.KeyId)
			if !uuidPattern.MatchString(id) {
				t.Errorf("KeyId = %q, want a UUID", id)
			}
			checks := []struct {
				field     string
				got, want any
			}{
				{"AWSAccountId", aws.ToString(m.AWSAccountId), defaultAccount},
				{"Arn", aws.ToString(m.Arn), keyARN(defaultRegion, defaultAccount, id)},
				{"CreationDate", aws.ToTime(m.CreationDate), t0},
				{"Description", aws.ToString(m.Description), "key " + tt.name},
				{"Enabled", m.Enabled, true},
				{"KeyState", m.KeyState, types.KeyStateEnabled},
				{"KeyManager", m.KeyManager, types.KeyManagerTypeCustomer},
				{"Origin", m.Origin, types.OriginTypeAwsKms},
				{"MultiRegion", aws.ToBool(m.MultiRegion), false},
				{"KeySpec", m.KeySpec, tt.wantSpec},
				{"CustomerMasterKeySpec", string(m.CustomerMasterKeySpec), string(tt.wantSpec)},
				{"KeyUsage", m.KeyUsage, tt.wantUsage},
				{"DeletionDate", m.DeletionDate, (*time.Time)(nil)},
				{"SigningAlgorithms", sameSet(m.SigningAlgorithms, tt.signing), true},
				{"EncryptionAlgorithms", sameSet(m.EncryptionAlgorithms, tt.encryption), true},
				{"MacAlgorithms", sameSet(m.MacAlgorithms, tt.mac), true},
				{"KeyAgreementAlgorithms", sameSet(m.KeyAgreementAlgorithms, tt.agreement), true},
			}
			for _, ch := range checks {
				if !reflect.DeepEqual(ch.got, ch.want) {
					t.Errorf("%s = %v, want %v", ch.field, ch.got, ch.want)
				}
			}
			if len(tt.signing)+len(tt.encryption)+len(tt.mac)+len(tt.agreement) == 0 {
				t.Fatal("bad test row: no algorithms")
			}
			t.Logf("algorithms: signing %v encryption %v mac %v agreement %v",
				m.SigningAlgorithms, m.EncryptionAlgorithms, m.MacAlgorithms, m.KeyAgreementAlgorithms)
			// CurrentKeyMaterialId is shown for symmetric encryption keys only (AWS-BEHAVIOUR §5.3).
			if tt.wantSpec == "SYMMETRIC_DEFAULT" {
				if !hexPattern.MatchString(aws.ToString(m.CurrentKeyMaterialId)) {
					t.Errorf("CurrentKeyMaterialId = %q, want 64 hex characters", aws.ToString(m.CurrentKeyMaterialId))
				}
			} else if m.CurrentKeyMaterialId != nil {
				t.Errorf("CurrentKeyMaterialId = %q, want none for %s", *m.CurrentKeyMaterialId, tt.wantSpec)
			}
			if got := describe(t, c, id); !reflect.DeepEqual(got, m) {
				t.Errorf("DescribeKey = %+v,\nwant the CreateKey metadata %+v", got, m)
			}
		})
	}
}

func TestCreateKeyCreationDateFollowsClock(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c := env.KMS()
	first := createKey(t, c, "SYMMETRIC_DEFAULT", "")
	env.Server.Advance(90 * time.Minute)
	second := createKey(t, c, "SYMMETRIC_DEFAULT", "")
	if got := aws.ToTime(first.CreationDate); !got.Equal(t0) {
		t.Errorf("first CreationDate = %v, want %v", got, t0)
	}
	if got, want := aws.ToTime(second.CreationDate), t0.Add(90*time.Minute); !got.Equal(want) {
		t.Errorf("second CreationDate = %v, want %v", got, want)
	}
	// DescribeKey shows the creation time, not the time of the call.
	env.Server.Advance(time.Hour)
	if got := aws.ToTime(describe(t, c, aws.ToString(first.KeyId)).CreationDate); !got.Equal(t0) {
		t.Errorf("DescribeKey CreationDate = %v, want %v", got, t0)
	}
}

func TestCreateKeyRefused(t *testing.T) {
	t.Parallel()
	const missingUsage = "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys."
	tests := []struct {
		name  string
		in    kms.CreateKeyInput
		check func(t *testing.T, err error)
	}{
		{"unknown key spec", kms.CreateKeyInput{KeySpec: "BOGUS", KeyUsage: "SIGN_VERIFY"}, enumError("BOGUS", "keySpec")},
		{"unknown key usage", kms.CreateKeyInput{KeySpec: "ECC_NIST_P256", KeyUsage: "BOGUS"}, enumError("BOGUS", "keyUsage")},
		{"unknown origin", kms.CreateKeyInput{Origin: "BOGUS"}, enumError("BOGUS", "origin")},
		// Specs AWS has but kms53 does not implement are refused, never accepted without material.
		{"ECC_SECG_P256K1 not implemented", kms.CreateKeyInput{KeySpec: "ECC_SECG_P256K1", KeyUsage: "SIGN_VERIFY"}, unimplemented("ECC_SECG_P256K1")},
		{"SM2 not implemented", kms.CreateKeyInput{KeySpec: "SM2", KeyUsage: "SIGN_VERIFY"}, unimplemented("SM2")},
		{"ML_DSA_44 not implemented", kms.CreateKeyInput{KeySpec: "ML_DSA_44", KeyUsage: "SIGN_VERIFY"}, unimplemented("ML_DSA_44")},
		{"ECC_NIST_EDWARDS25519 not implemented", kms.CreateKeyInput{KeySpec: "ECC_NIST_EDWARDS25519", KeyUsage: "SIGN_VERIFY"}, unimplemented("ECC_NIST_EDWARDS25519")},
		{"ML_KEM_768 not implemented", kms.CreateKeyInput{KeySpec: "ML_KEM_768", KeyUsage: "ENCAPSULATE_DECAPSULATE"}, unimplemented("ML_KEM_768")},
		{"ECC without usage", kms.CreateKeyInput{KeySpec: "ECC_NIST_P256"}, validation(missingUsage)},
		{"RSA without usage", kms.CreateKeyInput{KeySpec: "RSA_2048"}, validation(missingUsage)},
		{"HMAC without usage", kms.CreateKeyInput{KeySpec: "HMAC_256"}, validation(missingUsage)},
		{"ECC for encryption", kms.CreateKeyInput{KeySpec: "ECC_NIST_P256", KeyUsage: "ENCRYPT_DECRYPT"},
			validation("KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256")},
		{"RSA for key agreement", kms.CreateKeyInput{KeySpec: "RSA_2048", KeyUsage: "KEY_AGREEMENT"},
			validation("KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048")},
		{"symmetric for signing", kms.CreateKeyInput{KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "SIGN_VERIFY"},
			validation("KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT")},
		{"HMAC for signing", kms.CreateKeyInput{KeySpec: "HMAC_256", KeyUsage: "SIGN_VERIFY"},
			validation("KeyUsage SIGN_VERIFY is not compatible with KeySpec HMAC_256")},
		{"description too long", kms.CreateKeyInput{Description: aws.String(strings.Repeat("d", 8193))}, func(t *testing.T, err error) {
			wantValidationContaining(t, err, "at 'description' failed to satisfy constraint", "8192")
		}},
		{"origin EXTERNAL", kms.CreateKeyInput{Origin: types.OriginTypeExternal}, func(t *testing.T, err error) {
			asErr[*types.UnsupportedOperationException](t, err)
		}},
		{"reserved tag", kms.CreateKeyInput{Tags: []types.Tag{{TagKey: aws.String("aws:owner"), TagValue: aws.String("x")}}},
			func(t *testing.T, err error) {
				wantErr[*types.TagException](t, err, "Tags beginning with aws: are reserved")
			}},
	}
	env := newEnv(t)
	c := env.KMS()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateKey(ctx, &tt.in)
			if err == nil {
				t.Fatal("CreateKey succeeded, want an error")
			}
			tt.check(t, err)
		})
	}
	if ids := listKeyIDs(t, c); len(ids) != 0 {
		t.Errorf("refused CreateKey calls left keys behind: %v", ids)
	}
}

// enumError checks AWS's enum violation form; the listed set itself is not asserted.
func enumError(value, field string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		e := wantCode(t, err, "ValidationException")
		prefix := "1 validation error detected: Value '" + value + "' at '" + field +
			"' failed to satisfy constraint: Member must satisfy enum value set: ["
		if !strings.HasPrefix(e.ErrorMessage(), prefix) || !strings.HasSuffix(e.ErrorMessage(), "]") {
			t.Errorf("message = %q, want %q...]", e.ErrorMessage(), prefix)
		}
	}
}

// unimplemented checks that a spec kms53 lacks is refused in the enum form, without being listed.
func unimplemented(spec string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		enumError(spec, "keySpec")(t, err)
		e := wantCode(t, err, "ValidationException")
		_, set, _ := strings.Cut(e.ErrorMessage(), "[")
		if slices.Contains(strings.Split(strings.TrimSuffix(set, "]"), ", "), spec) {
			t.Errorf("message %q lists %s as valid", e.ErrorMessage(), spec)
		}
	}
}

func validation(msg string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		wantValidation(t, err, msg)
	}
}

func TestKeyIDForms(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)
	id, arn := aws.ToString(k.KeyId), aws.ToString(k.Arn)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/forms"), TargetKeyId: aws.String(id)}))(t)
	der := must(getPublicKey(c, id))(t).PublicKey
	forms := map[string]string{
		"key id":     id,
		"key ARN":    arn,
		"alias name": "alias/forms",
		"alias ARN":  "arn:aws:kms:" + defaultRegion + ":" + defaultAccount + ":alias/forms",
	}
	for name, keyID := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := aws.ToString(describe(t, c, keyID).KeyId); got != id {
				t.Errorf("DescribeKey(%s).KeyId = %s, want %s", keyID, got, id)
			}
			// Responses name the key by its ARN whatever form the request used.
			s := must(sign(c, keyID))(t)
			if aws.ToString(s.KeyId) != arn {
				t.Errorf("Sign(%s).KeyId = %s, want the key ARN %s", keyID, aws.ToString(s.KeyId), arn)
			}
			pk := must(getPublicKey(c, keyID))(t)
			if aws.ToString(pk.KeyId) != arn || !slices.Equal(pk.PublicKey, der) {
				t.Errorf("GetPublicKey(%s) = KeyId %s and another public key; want %s and the same key", keyID, aws.ToString(pk.KeyId), arn)
			}
			v := must(c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(keyID), Message: []byte("state check"),
				Signature: s.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256}))(t)
			if aws.ToString(v.KeyId) != arn || !v.SignatureValid {
				t.Errorf("Verify(%s) = KeyId %s, SignatureValid %v; want %s, true", keyID, aws.ToString(v.KeyId), v.SignatureValid, arn)
			}
		})
	}
}

func TestKeyNotFound(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	const unknown = "0b5a0ba4-8ad8-4f6e-a3b5-0c1dfe3b2f7a"
	unknownARN := keyARN(defaultRegion, defaultAccount, unknown)
	tests := []struct {
		name, keyID, msg string
	}{
		{"malformed id", "fake-key-id", "Invalid keyId 'fake-key-id'"},
		{"UUID without dashes", "134f2428cec14b25a1ae9048164dba47", "Invalid keyId '134f2428cec14b25a1ae9048164dba47'"},
		{"malformed multi-Region id", "mrk-fake-key-id", "Invalid keyId 'mrk-fake-key-id'"},
		{"unknown id", unknown, "Key '" + unknownARN + "' does not exist"},
		{"unknown ARN", unknownARN, "Key '" + unknownARN + "' does not exist"},
		{"ARN of another region", keyARN("eu-west-1", defaultAccount, unknown), "Invalid arn eu-west-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(tt.keyID)})
			wantErr[*types.NotFoundException](t, err, tt.msg)
			_, err = sign(c, tt.keyID)
			wantErr[*types.NotFoundException](t, err, tt.msg)
			_, err = getPublicKey(c, tt.keyID)
			wantErr[*types.NotFoundException](t, err, tt.msg)
			_, err = c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(tt.keyID)})
			wantErr[*types.NotFoundException](t, err, tt.msg)
			_, err = c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(tt.keyID)})
			wantErr[*types.NotFoundException](t, err, tt.msg)
		})
	}
	t.Run("alias", func(t *testing.T) {
		t.Parallel()
		// The text is UNVERIFIED (§5.1); it names the alias.
		for _, keyID := range []string{"alias/missing", "arn:aws:kms:" + defaultRegion + ":" + defaultAccount + ":alias/missing"} {
			_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
			wantErrContaining[*types.NotFoundException](t, err, "alias/missing")
			_, err = sign(c, keyID)
			wantErrContaining[*types.NotFoundException](t, err, "alias/missing")
		}
	})
	t.Run("missing KeyId", func(t *testing.T) {
		t.Parallel()
		// The SDK refuses a missing required member before sending; an empty one reaches the server.
		_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("")})
		wantValidationContaining(t, err, "'keyId'")
	})
}

func TestRegionIsolation(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	us := env.Client(defaultAccessKey, "us-east-1")
	eu := env.Client(defaultAccessKey, "eu-west-1")
	k := signingKey(t, us)
	id, arn := aws.ToString(k.KeyId), aws.ToString(k.Arn)
	if arn != keyARN("us-east-1", defaultAccount, id) {
		t.Fatalf("Arn = %s, want a us-east-1 ARN", arn)
	}
	must(us.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/regional"), TargetKeyId: aws.String(id)}))(t)

	_, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	wantErr[*types.NotFoundException](t, err, "Key '"+keyARN("eu-west-1", defaultAccount, id)+"' does not exist")
	_, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
	wantErr[*types.NotFoundException](t, err, "Invalid arn us-east-1")
	_, err = sign(eu, id)
	wantErr[*types.NotFoundException](t, err, "Key '"+keyARN("eu-west-1", defaultAccount, id)+"' does not exist")
	_, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/regional")})
	wantErrContaining[*types.NotFoundException](t, err, "alias/regional")
	if ids := listKeyIDs(t, eu); len(ids) != 0 {
		t.Errorf("eu-west-1 ListKeys = %v, want none", ids)
	}
	if names := aliasNames(listAliases(t, eu, nil)); len(names) != 0 {
		t.Errorf("eu-west-1 ListAliases = %v, want none", names)
	}

	// The same alias name is free in another region, and keys created there carry its ARN.
	euKey := signingKey(t, eu)
	if want := keyARN("eu-west-1", defaultAccount, aws.ToString(euKey.KeyId)); aws.ToString(euKey.Arn) != want {
		t.Errorf("eu-west-1 key Arn = %s, want %s", aws.ToString(euKey.Arn), want)
	}
	must(eu.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/regional"), TargetKeyId: euKey.KeyId}))(t)
	if got := aws.ToString(describe(t, eu, "alias/regional").KeyId); got != aws.ToString(euKey.KeyId) {
		t.Errorf("eu-west-1 alias/regional -> %s, want %s", got, aws.ToString(euKey.KeyId))
	}
	if got := aws.ToString(describe(t, us, "alias/regional").KeyId); got != id {
		t.Errorf("us-east-1 alias/regional -> %s, want %s", got, id)
	}
}

func TestAccountIsolation(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	const other = "444455556666"
	mine := env.KMS()
	theirs := env.Client(other, defaultRegion)
	k := signingKey(t, mine)
	id := aws.ToString(k.KeyId)

	if ids := listKeyIDs(t, theirs); len(ids) != 0 {
		t.Errorf("ListKeys of %s = %v, want none of %s's keys", other, ids, defaultAccount)
	}
	_, err := theirs.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	wantErr[*types.NotFoundException](t, err, "Key '"+keyARN(defaultRegion, other, id)+"' does not exist")

	tk := signingKey(t, theirs)
	if aws.ToString(tk.AWSAccountId) != other || aws.ToString(tk.Arn) != keyARN(defaultRegion, other, aws.ToString(tk.KeyId)) {
		t.Errorf("key of %s: AWSAccountId %s, Arn %s", other, aws.ToString(tk.AWSAccountId), aws.ToString(tk.Arn))
	}
	if ids := listKeyIDs(t, theirs); !slices.Equal(ids, []string{aws.ToString(tk.KeyId)}) {
		t.Errorf("ListKeys of %s = %v, want only its own key", other, ids)
	}
	if ids := listKeyIDs(t, mine); !slices.Equal(ids, []string{id}) {
		t.Errorf("ListKeys of %s = %v, want only its own key %s", defaultAccount, ids, id)
	}
	// Any access key that is not an account id acts as the default account.
	if ids := listKeyIDs(t, env.Client("AKIAANOTHERKEY", defaultRegion)); !slices.Equal(ids, []string{id}) {
		t.Errorf("ListKeys with another non-account access key = %v, want %s's keys", ids, defaultAccount)
	}
	// Aliases are per account: the same name can exist in both.
	must(mine.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/shared"), TargetKeyId: aws.String(id)}))(t)
	must(theirs.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/shared"), TargetKeyId: tk.KeyId}))(t)
	if got := aws.ToString(describe(t, theirs, "alias/shared").KeyId); got != aws.ToString(tk.KeyId) {
		t.Errorf("%s's alias/shared -> %s, want its own key", other, got)
	}
}

func TestListKeysPagination(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	var want []string
	for range 5 {
		want = append(want, aws.ToString(createKey(t, c, "SYMMETRIC_DEFAULT", "").KeyId))
	}

	// By hand: pages of 2, 2 and 1, in creation order.
	var got []string
	var marker *string
	for page, size := range []int{2, 2, 1} {
		out := must(c.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(2), Marker: marker}))(t)
		last := page == 2
		if len(out.Keys) != size || out.Truncated == last || (out.NextMarker == nil) != last {
			t.Fatalf("page %d: %d keys, Truncated %v, NextMarker %v; want %d keys, Truncated %v",
				page+1, len(out.Keys), out.Truncated, aws.ToString(out.NextMarker), size, !last)
		}
		for _, k := range out.Keys {
			got = append(got, aws.ToString(k.KeyId))
			if aws.ToString(k.KeyArn) != keyARN(defaultRegion, defaultAccount, aws.ToString(k.KeyId)) {
				t.Errorf("KeyArn = %s for key %s", aws.ToString(k.KeyArn), aws.ToString(k.KeyId))
			}
		}
		marker = out.NextMarker
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged ListKeys = %v, want %v", got, want)
	}

	// With the SDK's paginator.
	got = nil
	pages := 0
	p := kms.NewListKeysPaginator(c, &kms.ListKeysInput{Limit: aws.Int32(2)})
	for p.HasMorePages() {
		out := must(p.NextPage(ctx))(t)
		pages++
		for _, k := range out.Keys {
			got = append(got, aws.ToString(k.KeyId))
		}
	}
	if pages != 3 || !slices.Equal(got, want) {
		t.Errorf("paginator: %d pages %v, want 3 pages %v", pages, got, want)
	}

	// One page holds everything by default.
	out := must(c.ListKeys(ctx, &kms.ListKeysInput{}))(t)
	if len(out.Keys) != 5 || out.Truncated || out.NextMarker != nil {
		t.Errorf("ListKeys without Limit: %d keys, Truncated %v", len(out.Keys), out.Truncated)
	}

	_, err := c.ListKeys(ctx, &kms.ListKeysInput{Marker: aws.String("not a marker!")})
	asErr[*types.InvalidMarkerException](t, err)
	for _, limit := range []int32{0, 1001} {
		_, err = c.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(limit)})
		wantValidationContaining(t, err, "'limit'")
	}
}

func TestUpdateKeyDescription(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := createKey(t, c, "SYMMETRIC_DEFAULT", "")
	for _, d := range []string{"first", "", strings.Repeat("d", 8192)} {
		must(c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: k.KeyId, Description: aws.String(d)}))(t)
		if got := aws.ToString(describe(t, c, aws.ToString(k.KeyId)).Description); got != d {
			t.Errorf("Description = %.20q, want %.20q", got, d)
		}
	}
	_, err := c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: k.KeyId, Description: aws.String(strings.Repeat("d", 8193))})
	wantValidationContaining(t, err, "'description'", "8192")
}
