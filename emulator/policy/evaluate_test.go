package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	keyARN  = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	zoneARN = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
)

var (
	root       = Principal{ARN: "arn:aws:iam::111122223333:root", Account: "111122223333"}
	alice      = Principal{ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"}
	bob        = Principal{ARN: "arn:aws:iam::111122223333:user/bob", Account: "111122223333"}
	carol      = Principal{ARN: "arn:aws:iam::111122223333:user/carol", Account: "111122223333"}
	dave       = Principal{ARN: "arn:aws:iam::111122223333:user/dave", Account: "111122223333"}
	erin       = Principal{ARN: "arn:aws:iam::111122223333:user/erin", Account: "111122223333"}
	frank      = Principal{ARN: "arn:aws:iam::111122223333:user/frank", Account: "111122223333"}
	outsider   = Principal{ARN: "arn:aws:iam::444455556666:user/mallory", Account: "444455556666"}
	operator   = Principal{ARN: "arn:aws:sts::111122223333:assumed-role/Operator/s1", RoleARN: "arn:aws:iam::111122223333:role/Operator", Account: "111122223333"}
	signerRole = Principal{ARN: "arn:aws:sts::111122223333:assumed-role/Signer/job", RoleARN: "arn:aws:iam::111122223333:role/Signer", Account: "111122223333"}
	route53    = Principal{Service: "dnssec-route53.amazonaws.com"}
	legacyR53  = Principal{Service: "api-service.dnssec.route53.aws.internal"}
)

// ctx builds a request context from key/value pairs; a key may repeat for several values.
func ctx(kv ...string) Context {
	c := Context{}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Set(kv[i], append(c[lower(kv[i])], kv[i+1])...)
	}
	return c
}

func lower(s string) string { return strings.ToLower(s) }

func load(t testing.TB, name string) *Policy {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(string(b))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return p
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		policy     string
		principal  Principal
		action     string
		resource   string
		context    Context
		want       Effect
		sid        string
		viaAccount bool
	}{
		// The Route 53 DNSSEC statements of AWS-BEHAVIOUR §6.2.
		{"r53 sign", "route53-dnssec.json", route53, "kms:Sign", keyARN, ctx("aws:SourceAccount", "111122223333", "aws:SourceArn", zoneARN), Allow, "Allow Route 53 DNSSEC Service", false},
		{"r53 describe without context", "route53-dnssec.json", route53, "kms:DescribeKey", keyARN, nil, Allow, "Allow Route 53 DNSSEC Service", false},
		{"r53 not allowed to decrypt", "route53-dnssec.json", route53, "kms:Decrypt", keyARN, nil, NotApplicable, "", false},
		{"r53 grant for AWS resource (JSON true)", "route53-dnssec.json", route53, "kms:CreateGrant", keyARN, ctx("kms:GrantIsForAWSResource", "true"), Allow, "Allow Route 53 DNSSEC to CreateGrant", false},
		{"r53 grant not for AWS resource", "route53-dnssec.json", route53, "kms:CreateGrant", keyARN, ctx("kms:GrantIsForAWSResource", "false"), NotApplicable, "", false},
		{"r53 grant key missing", "route53-dnssec.json", route53, "kms:CreateGrant", keyARN, nil, NotApplicable, "", false},
		{"other service principal", "route53-dnssec.json", Principal{Service: "acm.amazonaws.com"}, "kms:Sign", keyARN, nil, NotApplicable, "", false},
		{"account user delegated to IAM", "route53-dnssec.json", alice, "kms:Sign", keyARN, nil, Allow, "Enable IAM User Permissions", true},
		{"account root directly", "route53-dnssec.json", root, "kms:PutKeyPolicy", keyARN, nil, Allow, "Enable IAM User Permissions", false},
		{"other account", "route53-dnssec.json", outsider, "kms:Sign", keyARN, nil, NotApplicable, "", false},

		// Confused-deputy conditions.
		{"deputy: right zone", "route53-dnssec-confused-deputy.json", route53, "kms:Sign", keyARN, ctx("aws:SourceAccount", "111122223333", "aws:SourceArn", zoneARN), Allow, "Allow Route 53 DNSSEC Service", false},
		{"deputy: other zone", "route53-dnssec-confused-deputy.json", route53, "kms:Sign", keyARN, ctx("aws:SourceAccount", "111122223333", "aws:SourceArn", "arn:aws:route53:::hostedzone/ZOTHER"), NotApplicable, "", false},
		{"deputy: other account", "route53-dnssec-confused-deputy.json", route53, "kms:Sign", keyARN, ctx("aws:SourceAccount", "999999999999", "aws:SourceArn", zoneARN), NotApplicable, "", false},
		{"deputy: no source context", "route53-dnssec-confused-deputy.json", route53, "kms:Sign", keyARN, nil, NotApplicable, "", false},
		{"deputy: Bool as string", "route53-dnssec-confused-deputy.json", route53, "kms:CreateGrant", keyARN, ctx("kms:GrantIsForAWSResource", "true"), Allow, "Allow Route 53 DNSSEC to CreateGrant", false},
		{"any zone: ArnLike wildcard", "route53-dnssec-any-zone.json", route53, "kms:GetPublicKey", keyARN, ctx("aws:SourceAccount", "444455556666", "aws:SourceArn", zoneARN), Allow, "Allow Route 53 DNSSEC Service", false},
		{"any zone: ArnLike fields compared separately", "route53-dnssec-any-zone.json", route53, "kms:GetPublicKey", keyARN, ctx("aws:SourceAccount", "444455556666", "aws:SourceArn", "arn:aws:route53:us-east-1::hostedzone/Z1"), NotApplicable, "", false},
		{"any zone: not a hosted zone", "route53-dnssec-any-zone.json", route53, "kms:GetPublicKey", keyARN, ctx("aws:SourceAccount", "444455556666", "aws:SourceArn", "arn:aws:route53:::healthcheck/abc"), NotApplicable, "", false},

		// The default key policy: the account root, delegating to IAM.
		{"default: root", "default-key-policy.json", root, "kms:ScheduleKeyDeletion", keyARN, nil, Allow, "Enable IAM User Permissions", false},
		{"default: user via IAM", "default-key-policy.json", alice, "kms:Sign", keyARN, nil, Allow, "Enable IAM User Permissions", true},
		{"default: role session via IAM", "default-key-policy.json", operator, "kms:Sign", keyARN, nil, Allow, "Enable IAM User Permissions", true},
		{"default: service principal not covered", "default-key-policy.json", route53, "kms:Sign", keyARN, nil, NotApplicable, "", false},
		{"default: other account", "default-key-policy.json", outsider, "kms:DescribeKey", keyARN, nil, NotApplicable, "", false},

		// Explicit deny beats allow.
		{"deny beats allow", "deny-sign.json", alice, "kms:Sign", keyARN, ctx("kms:SigningAlgorithm", "ECDSA_SHA_256"), Deny, "DenySignOutsideRSA", false},
		{"deny does not apply", "deny-sign.json", alice, "kms:Sign", keyARN, ctx("kms:SigningAlgorithm", "RSASSA_PSS_SHA_256"), Allow, "AllowAll", false},
		{"deny: negated op, key missing -> holds", "deny-sign.json", alice, "kms:Sign", keyARN, nil, Deny, "DenySignOutsideRSA", false},
		{"deny applies to services too", "deny-sign.json", route53, "kms:Sign", keyARN, ctx("kms:SigningAlgorithm", "ECDSA_SHA_256"), Deny, "DenySignOutsideRSA", false},

		// NotAction.
		{"NotAction allows others", "not-action.json", operator, "kms:Sign", keyARN, nil, Allow, "EverythingButDelete", false},
		{"NotAction excludes listed", "not-action.json", operator, "kms:ScheduleKeyDeletion", keyARN, nil, NotApplicable, "", false},
		{"NotAction wildcard excludes", "not-action.json", operator, "kms:DisableKey", keyARN, nil, NotApplicable, "", false},
		{"actions are case-insensitive", "not-action.json", operator, "KMS:disablekey", keyARN, nil, NotApplicable, "", false},

		// Conditions: IfExists, missing keys, Null, dates, sets, numbers.
		{"IfExists: key present and equal", "conditions.json", alice, "kms:Sign", keyARN, ctx("kms:MessageType", "RAW"), Allow, "IfExists", false},
		{"IfExists: key present, differs", "conditions.json", alice, "kms:Sign", keyARN, ctx("kms:MessageType", "DIGEST"), NotApplicable, "", false},
		{"IfExists: key missing", "conditions.json", alice, "kms:Sign", keyARN, nil, Allow, "IfExists", false},
		{"missing key fails a positive operator", "conditions.json", outsider, "kms:DescribeKey", keyARN, nil, NotApplicable, "", false},
		{"caller account matches", "conditions.json", alice, "kms:DescribeKey", keyARN, ctx("kms:CallerAccount", "111122223333"), Allow, "CallerAccountOnly", false},
		{"caller account differs", "conditions.json", outsider, "kms:DescribeKey", keyARN, ctx("kms:CallerAccount", "444455556666"), NotApplicable, "", false},
		{"Null true: key absent", "conditions.json", bob, "kms:GetPublicKey", keyARN, nil, Allow, "NoViaService", false},
		{"Null true: key present", "conditions.json", bob, "kms:GetPublicKey", keyARN, ctx("kms:ViaService", "route53.amazonaws.com"), NotApplicable, "", false},
		{"date before", "conditions.json", carol, "kms:Verify", keyARN, ctx("aws:CurrentTime", "2026-12-03T10:00:00Z"), Allow, "BeforeNewYear", false},
		{"date after", "conditions.json", carol, "kms:Verify", keyARN, ctx("aws:CurrentTime", "2027-01-02T00:00:00Z"), NotApplicable, "", false},
		{"ForAllValues subset", "conditions.json", dave, "kms:CreateGrant", keyARN, ctx("kms:GrantOperations", "Sign", "kms:GrantOperations", "Verify"), Allow, "GrantOps", false},
		{"ForAllValues not subset", "conditions.json", dave, "kms:CreateGrant", keyARN, ctx("kms:GrantOperations", "Sign", "kms:GrantOperations", "Decrypt"), NotApplicable, "", false},
		{"ForAllValues empty holds", "conditions.json", dave, "kms:CreateGrant", keyARN, nil, Allow, "GrantOps", false},
		{"ForAnyValue one matches", "conditions.json", erin, "kms:CreateGrant", keyARN, ctx("kms:GrantOperations", "Decrypt", "kms:GrantOperations", "Sign"), Allow, "AnyGrantOp", false},
		{"ForAnyValue missing fails", "conditions.json", erin, "kms:CreateGrant", keyARN, nil, NotApplicable, "", false},
		{"numeric >= 14", "conditions.json", frank, "kms:ScheduleKeyDeletion", keyARN, ctx("kms:ScheduleKeyDeletionPendingWindowInDays", "30"), Allow, "Numeric", false},
		{"numeric < 14", "conditions.json", frank, "kms:ScheduleKeyDeletion", keyARN, ctx("kms:ScheduleKeyDeletionPendingWindowInDays", "7"), NotApplicable, "", false},
		{"role ARN names its sessions; resource wildcard", "conditions.json", signerRole, "kms:Sign", keyARN, nil, Allow, "RoleSession", false},
		{"resource pattern does not match other region", "conditions.json", signerRole, "kms:Sign", "arn:aws:kms:eu-west-1:111122223333:key/x", nil, NotApplicable, "", false},
		{"condition key names are case-insensitive", "conditions.json", alice, "kms:DescribeKey", keyARN, ctx("KMS:CALLERACCOUNT", "111122223333"), Allow, "CallerAccountOnly", false},

		// Statements without Resource have no effect.
		{"statement without Resource ignored", "no-resource.json", legacyR53, "kms:Sign", keyARN, nil, Allow, "Everyone", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := load(t, tt.policy)
			got := p.Evaluate(&Request{Principal: tt.principal, Action: tt.action, Resource: tt.resource, Context: tt.context})
			if got.Effect != tt.want || got.Sid != tt.sid || got.ViaAccount != tt.viaAccount {
				t.Errorf("Evaluate = %+v, want effect %s sid %q viaAccount %v", got, tt.want, tt.sid, tt.viaAccount)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, doc string }{
		{"not JSON", `{"Statement": [`},
		{"not an object", `[1,2]`},
		{"no statement", `{"Version":"2012-10-17"}`},
		{"bad effect", `{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"kms:*","Resource":"*"}]}`},
		{"principal string not star", `{"Statement":[{"Effect":"Allow","Principal":"alice","Action":"kms:*","Resource":"*"}]}`},
		{"unknown principal type", `{"Statement":[{"Effect":"Allow","Principal":{"Robot":"x"},"Action":"kms:*","Resource":"*"}]}`},
		{"unknown operator", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringSortOf":{"a":"b"}}}]}`},
		{"unknown set operator", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"ForSome:StringEquals":{"a":"b"}}}]}`},
		{"Action and NotAction", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","NotAction":"kms:Sign","Resource":"*"}]}`},
		{"unknown statement element", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Extra":1}]}`},
		{"bad version", `{"Version":"2020-01-01","Statement":[]}`},
		{"trailing content", `{"Statement":[]} {}`},
		{"condition value object", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"a":{"b":1}}}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse(tt.doc); err == nil {
				t.Fatalf("Parse(%s) succeeded, want an error", tt.doc)
			}
		})
	}
}

func TestWildcardMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"*", "abc", true}, {"a*c", "abc", true}, {"a*c", "ac", true}, {"a*c", "ab", false},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"*b*", "abc", true}, {"RSASSA_PSS*", "RSASSA_PSS_SHA_256", true},
		{"RSASSA_PSS*", "rsassa_pss_sha_256", false}, {"**a", "ba", true}, {"a*b*c", "aXbYbZc", true}, {"", "", true}, {"", "a", false},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestArnMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:route53:::hostedzone/*", "arn:aws:route53:::hostedzone/Z1", true},
		{"arn:aws:route53:::hostedzone/*", "arn:aws:route53:us-east-1::hostedzone/Z1", false},
		{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true},
		{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:444455556666:key/abc", false},
		{"arn:aws:kms:us-east-1:111122223333:alias/a:b", "arn:aws:kms:us-east-1:111122223333:alias/a:b", true},
		{"arn:aws:kms:*", "arn:aws:kms:us-east-1:111122223333:key/abc", true},
		{"arn:aws:iam::*:role/R?", "arn:aws:iam::111122223333:role/R1", true},
		{"*", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::other", false},
	}
	for _, tt := range tests {
		if got := arnMatch(tt.pattern, tt.arn); got != tt.want {
			t.Errorf("arnMatch(%q, %q) = %v, want %v", tt.pattern, tt.arn, got, tt.want)
		}
	}
}
