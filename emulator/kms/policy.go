package kms

import (
	"regexp"

	"github.com/kms53/kms53/emulator/access"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
)

// maxPolicyBytes is the key policy size limit (32 KB, not adjustable), although the API model
// allows 131072 characters (AWS-BEHAVIOUR §5.8).
const maxPolicyBytes = 32768

// policyChars is the model's pattern for policy documents.
var policyChars = regexp.MustCompile(`^[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+$`)

// checkPolicyField adds the model's constraints on a Policy member to c.
func checkPolicyField(c *awsproto.Checks, doc string) {
	c.Length("policy", doc, 1, 131072)
	if doc != "" {
		c.Pattern("policy", doc, `[\u0009\u000A\u000D\u0020-\u00FF]+`, policyChars.MatchString(doc))
	}
}

// parseKeyPolicy checks a key policy's size and structure.
func parseKeyPolicy(doc string) (*policy.Policy, error) {
	if len(doc) > maxPolicyBytes {
		// UNVERIFIED message text; the code is the one the API reference names for this case.
		return nil, awsproto.Errorf(codeLimitExceeded,
			"The key policy is %d bytes; the key policy document size limit is %d bytes.", len(doc), maxPolicyBytes)
	}
	p, err := policy.Parse(doc)
	if err != nil {
		return nil, awsproto.Errorf(codeMalformedPolicy, "%v", err)
	}
	for _, st := range p.Statements {
		if !st.Principal.Present && !st.NotPrincipal.Present {
			// AWS answers a missing principal with its invalid-principal text (AWS-BEHAVIOUR §5.2).
			return nil, awsproto.Errorf(codeMalformedPolicy, "Policy contains a statement with one or more invalid principals.")
		}
	}
	return p, nil
}

// defaultKeyPolicy is the policy KMS attaches when CreateKey has none, byte for byte as
// GetKeyPolicy returns it (AWS-BEHAVIOUR §8.1).
func defaultKeyPolicy(account string) string {
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

var (
	awsPrincipal     = regexp.MustCompile(`^(\*|[0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:(root|(user|role|group)/[\w+=,.@/-]+)|arn:aws[a-z-]*:sts::[0-9]{12}:(assumed-role|federated-user)/[\w+=,.@/-]+)$`)
	servicePrincipal = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*\.[a-z0-9.-]+$`)
)

// checkNewPolicy validates a key policy about to be set by rc's caller on the key keyARN: size
// and structure, principals that KMS could resolve, and unless bypass is set, the lockout safety
// check: the policy must let the caller call PutKeyPolicy again (directly, or by delegating to
// IAM where an identity policy of the caller allows it).
func (s *Service) checkNewPolicy(rc *Request, doc string, bypass bool, keyARN string, k *store.Key) (*policy.Policy, error) {
	p, err := parseKeyPolicy(doc)
	if err != nil {
		return nil, err
	}
	for _, st := range p.Statements {
		for _, ps := range []policy.Principals{st.Principal, st.NotPrincipal} {
			for _, a := range ps.ByKind["AWS"] {
				if !awsPrincipal.MatchString(a) {
					return nil, awsproto.Errorf(codeMalformedPolicy, "Policy contains a statement with one or more invalid principals.")
				}
			}
			for _, svc := range ps.ByKind["Service"] {
				if !servicePrincipal.MatchString(svc) {
					return nil, awsproto.Errorf(codeMalformedPolicy, "Policy contains a statement with one or more invalid principals.")
				}
			}
		}
	}
	if bypass || rc.Caller.Service != "" {
		return p, nil
	}
	ctx := s.requestContext(rc, k)
	req := &policy.Request{Principal: rc.Caller.Principal(), Action: "kms:PutKeyPolicy", Resource: keyARN, Context: ctx}
	r := p.Evaluate(req)
	_, idAllow := access.EvaluateIdentity(rc.Caller, req)
	if r.Effect != policy.Allow || (r.ViaAccount && idAllow == nil) {
		return nil, awsproto.Errorf(codeMalformedPolicy, "The new key policy will not allow you to update the key policy in the future.")
	}
	return p, nil
}
