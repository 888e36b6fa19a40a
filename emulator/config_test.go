package emulator_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/emulator/policy"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	c, err := emulator.ParseConfig([]byte(`
identities:
  - accessKeyId: AKIAOPERATOR
    secretAccessKey: operator-secret
    arn: arn:aws:iam::111122223333:role/DNSSECOperator
    sessionName: ci
    policies:
      - name: dnssec
        document:
          Version: "2012-10-17"
          Statement:
            - Sid: Sign
              Effect: Allow
              Action: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"]
              Resource: "*"
              Condition: {Bool: {"kms:GrantIsForAWSResource": true}}
      - name: json
        document: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:ScheduleKeyDeletion","Resource":"*"}]}'
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Identities) != 1 || len(c.Identities[0].Policies) != 2 || c.Identities[0].SessionName != "ci" {
		t.Fatalf("config = %+v", c)
	}
	for _, p := range c.Identities[0].Policies {
		if _, err := policy.Parse(p.Document); err != nil {
			t.Errorf("policy %s does not parse: %v\n%s", p.Name, err, p.Document)
		}
	}

	for name, doc := range map[string]string{
		"unknown field":   "identities:\n  - accessKeyId: A\n    arn: arn:aws:iam::111122223333:user/a\n    secret: x\n",
		"bad arn":         "identities:\n  - accessKeyId: A\n    arn: alice\n",
		"bad policy":      "identities:\n  - accessKeyId: A\n    arn: arn:aws:iam::111122223333:user/a\n    policies: [{name: p, document: 'nope'}]\n",
		"not yaml":        "identities: [",
		"unknown top key": "keys: []\n",
	} {
		if _, err := emulator.ParseConfig([]byte(doc)); err == nil || !strings.HasPrefix(err.Error(), "config: ") {
			t.Errorf("%s: ParseConfig error = %v, want a config error", name, err)
		}
	}
	if c, err := emulator.ParseConfig(nil); err != nil || len(c.Identities) != 0 {
		t.Errorf("empty config = %+v, %v", c, err)
	}
}

func TestAdminIdentities(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	put := func(body string) int {
		req, _ := http.NewRequest(http.MethodPut, env.URL+"/_kms53/identities", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := put("identities: [{accessKeyId: AKIANARROW, arn: 'arn:aws:iam::111122223333:user/narrow', policies: [{name: p, document: {Statement: [{Effect: Allow, Action: 'kms:DescribeKey', Resource: '*'}]}}]}]"); code != http.StatusOK {
		t.Fatalf("PUT identities: %d", code)
	}
	_, err := env.Client("AKIANARROW", defaultRegion).ListKeys(context.Background(), &kms.ListKeysInput{})
	wantCode(t, err, "AccessDeniedException")
	if code := put("identities: [{accessKeyId: A, arn: nobody}]"); code != http.StatusBadRequest {
		t.Fatalf("PUT bad identities: %d, want 400", code)
	}
	// The bad document changed nothing.
	_, err = env.Client("AKIANARROW", defaultRegion).ListKeys(context.Background(), &kms.ListKeysInput{})
	wantCode(t, err, "AccessDeniedException")
}
