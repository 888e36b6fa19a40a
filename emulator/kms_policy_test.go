package emulator_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// defaultPolicy is the default key policy byte for byte as GetKeyPolicy returns it
// (AWS-BEHAVIOUR §8.1), for an account.
func defaultPolicy(account string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

// rootPolicy is a key policy that lets the account root do everything, with a marker Sid.
func rootPolicy(account, sid string) string {
	return `{"Version":"2012-10-17","Id":"custom","Statement":[{"Sid":"` + sid + `","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}]}`
}

// sameJSON reports whether two JSON documents are equal as values: AWS may reformat a policy.
func sameJSON(t testing.TB, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Fatalf("not JSON: %v: %.80q", err, a)
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatalf("not JSON: %v: %.80q", err, b)
	}
	return reflect.DeepEqual(va, vb)
}

func getPolicy(t testing.TB, c *kms.Client, keyID *string) string {
	t.Helper()
	out := must(c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: keyID}))(t)
	if aws.ToString(out.PolicyName) != "default" {
		t.Errorf("GetKeyPolicy PolicyName = %q, want default", aws.ToString(out.PolicyName))
	}
	return aws.ToString(out.Policy)
}

func TestDefaultKeyPolicy(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	for _, account := range []string{defaultAccount, "444455556666"} {
		c := env.Client(defaultAccessKey, defaultRegion)
		if account != defaultAccount {
			c = env.Client(account, defaultRegion)
		}
		k := signingKey(t, c)
		if got := getPolicy(t, c, k.KeyId); got != defaultPolicy(account) {
			t.Errorf("default policy of %s's key =\n%s\nwant, byte for byte,\n%s", account, got, defaultPolicy(account))
		}
		// PolicyName "default" is the one policy, also when named.
		out := must(c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: k.Arn, PolicyName: aws.String("default")}))(t)
		if aws.ToString(out.Policy) != defaultPolicy(account) {
			t.Errorf("GetKeyPolicy(PolicyName default) differs from GetKeyPolicy without a name")
		}
	}
}

func TestPutKeyPolicy(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)

	doc := rootPolicy(defaultAccount, "Replaced")
	must(c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: k.KeyId, Policy: aws.String(doc)}))(t)
	if got := getPolicy(t, c, k.KeyId); !sameJSON(t, got, doc) {
		t.Errorf("GetKeyPolicy after PutKeyPolicy =\n%s\nwant\n%s", got, doc)
	}
	doc2 := rootPolicy(defaultAccount, "NamedDefault")
	must(c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: k.Arn, PolicyName: aws.String("default"), Policy: aws.String(doc2)}))(t)
	if got := getPolicy(t, c, k.Arn); !sameJSON(t, got, doc2) {
		t.Errorf("GetKeyPolicy after PutKeyPolicy(PolicyName default) =\n%s\nwant\n%s", got, doc2)
	}

	// A policy given to CreateKey replaces the default one.
	doc3 := rootPolicy(defaultAccount, "AtCreation")
	k2 := must(c.CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(doc3)}))(t).KeyMetadata
	if got := getPolicy(t, c, k2.KeyId); !sameJSON(t, got, doc3) {
		t.Errorf("GetKeyPolicy of a key created with a policy =\n%s\nwant\n%s", got, doc3)
	}

	// Key policies can be read and replaced in every key state.
	must(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: k2.KeyId}))(t)
	doc4 := rootPolicy(defaultAccount, "WhilePending")
	must(c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: k2.KeyId, Policy: aws.String(doc4)}))(t)
	if got := getPolicy(t, c, k2.KeyId); !sameJSON(t, got, doc4) {
		t.Errorf("GetKeyPolicy of a pending key =\n%s\nwant\n%s", got, doc4)
	}
}

func TestListKeyPolicies(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)
	for _, keyID := range []*string{k.KeyId, k.Arn} {
		out := must(c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: keyID}))(t)
		if !slices.Equal(out.PolicyNames, []string{"default"}) || out.Truncated || out.NextMarker != nil {
			t.Errorf("ListKeyPolicies = %v, Truncated %v, NextMarker %v; want [default], false, none",
				out.PolicyNames, out.Truncated, aws.ToString(out.NextMarker))
		}
	}
	p := kms.NewListKeyPoliciesPaginator(c, &kms.ListKeyPoliciesInput{KeyId: k.KeyId})
	var names []string
	for p.HasMorePages() {
		names = append(names, must(p.NextPage(ctx))(t).PolicyNames...)
	}
	if !slices.Equal(names, []string{"default"}) {
		t.Errorf("paginated ListKeyPolicies = %v, want [default]", names)
	}
	_, err := c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: k.KeyId, Marker: aws.String("bogus")})
	asErr[*types.InvalidMarkerException](t, err)
}

func TestKeyPolicyRefused(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)
	put := func(doc string) error {
		_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: k.KeyId, Policy: aws.String(doc)})
		return err
	}
	create := func(doc string) error {
		_, err := c.CreateKey(ctx, &kms.CreateKeyInput{Policy: aws.String(doc)})
		return err
	}
	noPrincipal := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`
	// Padded with spaces (allowed characters) to a size; JSON stays valid.
	padded := func(n int) string {
		doc := rootPolicy(defaultAccount, "Padded")
		return doc[:len(doc)-1] + strings.Repeat(" ", n-len(doc)) + "}"
	}
	for name, call := range map[string]func(string) error{"PutKeyPolicy": put, "CreateKey": create} {
		t.Run(name, func(t *testing.T) {
			// The texts of these are UNVERIFIED except the invalid-principal family (§5.2).
			asErr[*types.MalformedPolicyDocumentException](t, call("not json"))
			asErr[*types.MalformedPolicyDocumentException](t, call(`{"Version":"2012-10-17","Statement":[`))
			wantErrContaining[*types.MalformedPolicyDocumentException](t, call(noPrincipal), "Policy contains a statement with")
			// 32 KB is the key policy limit, though the model allows 131072 characters (§5.8).
			asErr[*types.LimitExceededException](t, call(padded(32769)))
			asErr[*types.LimitExceededException](t, call(padded(131072)))
			wantValidationContaining(t, call(padded(131073)), "'policy'")
			wantValidationContaining(t, call("{\"Version\":\"2012-10-17\x01\"}"), "'policy'")
		})
	}
	// Refused documents changed nothing.
	if got := getPolicy(t, c, k.KeyId); got != defaultPolicy(defaultAccount) {
		t.Errorf("policy after refused PutKeyPolicy calls =\n%s\nwant the default policy", got)
	}
	if ids := listKeyIDs(t, c); len(ids) != 1 {
		t.Errorf("refused CreateKey calls left keys: %v", ids)
	}
	// Exactly 32768 bytes is accepted.
	noErr(t, put(padded(32768)))
	if got := getPolicy(t, c, k.KeyId); !sameJSON(t, got, padded(32768)) {
		t.Errorf("GetKeyPolicy after a 32768-byte policy returned %d bytes", len(got))
	}

	// The only policy name is "default"; the error for another is UNVERIFIED (§5.8).
	_, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: k.KeyId, PolicyName: aws.String("other")})
	if err == nil {
		t.Error("GetKeyPolicy(PolicyName other) succeeded")
	}
	_, err = c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: k.KeyId, PolicyName: aws.String("other"), Policy: aws.String(rootPolicy(defaultAccount, "x"))})
	if err == nil {
		t.Error("PutKeyPolicy(PolicyName other) succeeded")
	}
	_, err = c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: k.KeyId, PolicyName: aws.String("not-a-name!")})
	wantValidationContaining(t, err, "'policyName'")
}
