package emulator_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// listAliases lists the client's aliases (of one key when keyID is set), following markers. AWS
// managed aliases (alias/aws/...) are left out, so the result is the same against real AWS.
func listAliases(t testing.TB, c *kms.Client, keyID *string) []types.AliasListEntry {
	t.Helper()
	var out []types.AliasListEntry
	p := kms.NewListAliasesPaginator(c, &kms.ListAliasesInput{KeyId: keyID})
	for p.HasMorePages() {
		for _, a := range must(p.NextPage(ctx))(t).Aliases {
			if !strings.HasPrefix(aws.ToString(a.AliasName), "alias/aws/") {
				out = append(out, a)
			}
		}
	}
	return out
}

func aliasNames(as []types.AliasListEntry) []string {
	names := []string{}
	for _, a := range as {
		names = append(names, aws.ToString(a.AliasName))
	}
	return names
}

func aliasARN(name string) string {
	return "arn:aws:kms:" + defaultRegion + ":" + defaultAccount + ":" + name
}

func createAlias(c *kms.Client, name string, target *string) error {
	_, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: target})
	return err
}

func TestCreateAndListAliases(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c := env.KMS()
	k := signingKey(t, c)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/by-id"), TargetKeyId: k.KeyId}))(t)
	env.Server.Advance(time.Minute)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/By_ARN:1"), TargetKeyId: k.Arn}))(t)

	got := listAliases(t, c, nil)
	want := []struct {
		name    string
		created time.Time
	}{{"alias/By_ARN:1", t0.Add(time.Minute)}, {"alias/by-id", t0}} // sorted by name
	if len(got) != len(want) {
		t.Fatalf("ListAliases = %v, want %d aliases", aliasNames(got), len(want))
	}
	for i, w := range want {
		a := got[i]
		if aws.ToString(a.AliasName) != w.name || aws.ToString(a.AliasArn) != aliasARN(w.name) ||
			aws.ToString(a.TargetKeyId) != aws.ToString(k.KeyId) ||
			!aws.ToTime(a.CreationDate).Equal(w.created) || !aws.ToTime(a.LastUpdatedDate).Equal(w.created) {
			t.Errorf("alias %d = {%s %s -> %s, created %v, updated %v}, want {%s %s -> %s, %v}", i,
				aws.ToString(a.AliasName), aws.ToString(a.AliasArn), aws.ToString(a.TargetKeyId),
				aws.ToTime(a.CreationDate), aws.ToTime(a.LastUpdatedDate), w.name, aliasARN(w.name), aws.ToString(k.KeyId), w.created)
		}
	}
}

func TestCreateAliasRefused(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/taken"), TargetKeyId: k.KeyId}))(t)
	const unknown = "0b5a0ba4-8ad8-4f6e-a3b5-0c1dfe3b2f7a"

	// Duplicate: the text is UNVERIFIED (§5.9).
	wantErrContaining[*types.AlreadyExistsException](t, createAlias(c, "alias/taken", k.KeyId), "alias/taken")
	// Reserved prefix: code and text UNVERIFIED (§5.9); kms53 answers the model's InvalidAliasNameException.
	wantErrContaining[*types.InvalidAliasNameException](t, createAlias(c, "alias/aws/mine", k.KeyId), "alias/aws/")
	wantValidation(t, createAlias(c, "my-alias", k.KeyId),
		`Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
	wantValidationContaining(t, createAlias(c, "alias/with space", k.KeyId), "'aliasName'", "pattern")
	wantValidationContaining(t, createAlias(c, "alias/"+strings.Repeat("a", 251), k.KeyId), "'aliasName'", "256")
	wantErr[*types.NotFoundException](t, createAlias(c, "alias/nowhere", aws.String(unknown)),
		"Key '"+keyARN(defaultRegion, defaultAccount, unknown)+"' does not exist")
	wantErr[*types.NotFoundException](t, createAlias(c, "alias/nowhere", aws.String("not-a-key")), "Invalid keyId 'not-a-key'")
	// An alias cannot point at an alias.
	asErr[*types.NotFoundException](t, createAlias(c, "alias/alias-of-alias", aws.String("alias/taken")))

	if names := aliasNames(listAliases(t, c, nil)); !slices.Equal(names, []string{"alias/taken"}) {
		t.Errorf("ListAliases = %v, want only alias/taken", names)
	}
	// The duplicate left the original target alone.
	if got := aws.ToString(describe(t, c, "alias/taken").KeyId); got != aws.ToString(k.KeyId) {
		t.Errorf("alias/taken -> %s, want %s", got, aws.ToString(k.KeyId))
	}
}

func TestUpdateAlias(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c := env.KMS()
	ecc := signingKey(t, c)
	ecc2 := signingKey(t, c)
	rsaSign := createKey(t, c, "RSA_2048", "SIGN_VERIFY")
	rsaEncrypt := createKey(t, c, "RSA_2048", "ENCRYPT_DECRYPT")
	symmetric := createKey(t, c, "SYMMETRIC_DEFAULT", "")
	hmac := createKey(t, c, "HMAC_256", "GENERATE_VERIFY_MAC")
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/signer"), TargetKeyId: ecc.KeyId}))(t)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/sealer"), TargetKeyId: symmetric.KeyId}))(t)

	update := func(name string, target *types.KeyMetadata) error {
		_, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String(name), TargetKeyId: target.KeyId})
		return err
	}
	target := func(name string) string {
		t.Helper()
		return aws.ToString(describe(t, c, name).KeyId)
	}

	env.Server.Advance(time.Hour)
	noErr(t, update("alias/signer", ecc2))
	if got := target("alias/signer"); got != aws.ToString(ecc2.KeyId) {
		t.Errorf("alias/signer -> %s after UpdateAlias, want %s", got, aws.ToString(ecc2.KeyId))
	}
	for _, a := range listAliases(t, c, nil) {
		if aws.ToString(a.AliasName) == "alias/signer" &&
			(!aws.ToTime(a.CreationDate).Equal(t0) || !aws.ToTime(a.LastUpdatedDate).Equal(t0.Add(time.Hour))) {
			t.Errorf("alias/signer CreationDate %v, LastUpdatedDate %v; want %v, %v",
				aws.ToTime(a.CreationDate), aws.ToTime(a.LastUpdatedDate), t0, t0.Add(time.Hour))
		}
	}
	// Another asymmetric SIGN_VERIFY key of another spec is the same type and usage.
	noErr(t, update("alias/signer", rsaSign))
	if got := target("alias/signer"); got != aws.ToString(rsaSign.KeyId) {
		t.Errorf("alias/signer -> %s, want %s", got, aws.ToString(rsaSign.KeyId))
	}

	// Another type or key usage is refused and the alias keeps its target. The text is UNVERIFIED.
	for _, tc := range []struct {
		alias, was string
		to         *types.KeyMetadata
	}{
		{"alias/signer", aws.ToString(rsaSign.KeyId), symmetric},  // asymmetric -> symmetric
		{"alias/signer", aws.ToString(rsaSign.KeyId), rsaEncrypt}, // SIGN_VERIFY -> ENCRYPT_DECRYPT
		{"alias/signer", aws.ToString(rsaSign.KeyId), hmac},
		{"alias/sealer", aws.ToString(symmetric.KeyId), rsaEncrypt}, // symmetric -> asymmetric, same usage
		{"alias/sealer", aws.ToString(symmetric.KeyId), ecc},
	} {
		wantCode(t, update(tc.alias, tc.to), "ValidationException")
		if got := target(tc.alias); got != tc.was {
			t.Errorf("%s -> %s after a refused UpdateAlias, want %s", tc.alias, got, tc.was)
		}
	}

	_, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/missing"), TargetKeyId: ecc.KeyId})
	wantErrContaining[*types.NotFoundException](t, err, "alias/missing")
	_, err = c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("missing"), TargetKeyId: ecc.KeyId})
	wantValidation(t, err, `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)

	// The destination key must not be pending deletion (AWS-BEHAVIOUR §5.7 footnote 10).
	must(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: ecc.KeyId}))(t)
	wantErr[*types.KMSInvalidStateException](t, update("alias/signer", ecc), aws.ToString(ecc.Arn)+" is pending deletion.")
}

func TestDeleteAlias(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/short-lived"), TargetKeyId: k.KeyId}))(t)
	must(c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/short-lived")}))(t)
	if names := aliasNames(listAliases(t, c, nil)); len(names) != 0 {
		t.Errorf("ListAliases after DeleteAlias = %v, want none", names)
	}
	_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/short-lived")})
	wantErrContaining[*types.NotFoundException](t, err, "alias/short-lived")
	_, err = c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/short-lived")})
	wantErrContaining[*types.NotFoundException](t, err, "alias/short-lived")
	// The key is untouched, and the name is free again.
	checkState(t, describe(t, c, aws.ToString(k.KeyId)), types.KeyStateEnabled, true, nil)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/short-lived"), TargetKeyId: k.KeyId}))(t)
}

func TestListAliasesByKey(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	a := signingKey(t, c)
	b := signingKey(t, c)
	bare := signingKey(t, c)
	for name, k := range map[string]*types.KeyMetadata{"alias/a1": a, "alias/a2": a, "alias/b1": b} {
		must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: k.KeyId}))(t)
	}
	tests := []struct {
		keyID *string
		want  []string
	}{
		{nil, []string{"alias/a1", "alias/a2", "alias/b1"}},
		{a.KeyId, []string{"alias/a1", "alias/a2"}},
		{a.Arn, []string{"alias/a1", "alias/a2"}},
		{b.KeyId, []string{"alias/b1"}},
		{bare.KeyId, []string{}},
	}
	for _, tt := range tests {
		if got := aliasNames(listAliases(t, c, tt.keyID)); !slices.Equal(got, tt.want) {
			t.Errorf("ListAliases(KeyId %s) = %v, want %v", aws.ToString(tt.keyID), got, tt.want)
		}
	}
	const unknown = "0b5a0ba4-8ad8-4f6e-a3b5-0c1dfe3b2f7a"
	_, err := c.ListAliases(ctx, &kms.ListAliasesInput{KeyId: aws.String(unknown)})
	wantErr[*types.NotFoundException](t, err, "Key '"+keyARN(defaultRegion, defaultAccount, unknown)+"' does not exist")
}

func TestListAliasesPagination(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)
	want := []string{"alias/a", "alias/b", "alias/c", "alias/d", "alias/e"}
	for _, name := range []string{"alias/c", "alias/a", "alias/e", "alias/b", "alias/d"} {
		must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(name), TargetKeyId: k.KeyId}))(t)
	}

	var got []string
	var marker *string
	for page := 0; ; page++ {
		out := must(c.ListAliases(ctx, &kms.ListAliasesInput{Limit: aws.Int32(2), Marker: marker}))(t)
		got = append(got, aliasNames(out.Aliases)...)
		if len(out.Aliases) > 2 || out.Truncated != (out.NextMarker != nil) {
			t.Fatalf("page %d: %d aliases, Truncated %v, NextMarker %v", page+1, len(out.Aliases), out.Truncated, out.NextMarker)
		}
		if !out.Truncated {
			if page != 2 {
				t.Errorf("%d pages, want 3", page+1)
			}
			break
		}
		marker = out.NextMarker
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged ListAliases = %v, want %v", got, want)
	}

	got = nil
	pages := 0
	p := kms.NewListAliasesPaginator(c, &kms.ListAliasesInput{KeyId: k.KeyId}, func(o *kms.ListAliasesPaginatorOptions) { o.Limit = 3 })
	for p.HasMorePages() {
		got = append(got, aliasNames(must(p.NextPage(ctx))(t).Aliases)...)
		pages++
	}
	if pages != 2 || !slices.Equal(got, want) {
		t.Errorf("paginator: %d pages %v, want 2 pages %v", pages, got, want)
	}

	_, err := c.ListAliases(ctx, &kms.ListAliasesInput{Marker: aws.String("not a marker!")})
	asErr[*types.InvalidMarkerException](t, err)
	_, err = c.ListAliases(ctx, &kms.ListAliasesInput{Limit: aws.Int32(0)})
	wantValidationContaining(t, err, "'limit'")
}
