package auth

import (
	"fmt"
	"regexp"

	"github.com/kms53/kms53/emulator/policy"
)

// Identity is an IAM user or role the emulator knows, reached through its access key.
type Identity struct {
	// AccessKeyID selects the identity in the SigV4 credential.
	AccessKeyID string `json:"accessKeyId" yaml:"accessKeyId"`
	// SecretAccessKey verifies signatures in strict mode.
	SecretAccessKey string `json:"secretAccessKey" yaml:"secretAccessKey"`
	// ARN is an IAM user (arn:aws:iam::ACCT:user/NAME), a role (arn:aws:iam::ACCT:role/NAME) or
	// an account root (arn:aws:iam::ACCT:root), the last to give a root a secret in strict mode.
	ARN string `json:"arn" yaml:"arn"`
	// SessionName names a role's session in the caller ARN
	// (arn:aws:sts::ACCT:assumed-role/ROLE/SESSION). Default "kms53".
	SessionName string `json:"sessionName,omitempty" yaml:"sessionName,omitempty"`
	// Policies are the identity's IAM policies (JSON documents).
	Policies []IdentityPolicy `json:"policies,omitempty" yaml:"policies,omitempty"`
}

// IdentityPolicy is a named IAM identity policy document.
type IdentityPolicy struct {
	Name     string `json:"name" yaml:"name"`
	Document string `json:"document" yaml:"document"`
}

var principalARN = regexp.MustCompile(`^arn:aws:iam::([0-9]{12}):(?:(root)|(user|role)/(?:[\w+=,.@-]+/)*([\w+=,.@-]+))$`)

// Directory maps access keys to callers and secrets. It is immutable once built.
type Directory struct {
	byKey map[string]entry
}

type entry struct {
	caller Caller
	secret string
}

// NewDirectory compiles identities: ARNs checked, policies parsed once.
func NewDirectory(ids []Identity) (*Directory, error) {
	d := &Directory{byKey: map[string]entry{}}
	for i, id := range ids {
		if id.AccessKeyID == "" {
			return nil, fmt.Errorf("identity %d: accessKeyId is required", i+1)
		}
		if _, dup := d.byKey[id.AccessKeyID]; dup {
			return nil, fmt.Errorf("identity %s: access key defined twice", id.AccessKeyID)
		}
		m := principalARN.FindStringSubmatch(id.ARN)
		if m == nil {
			return nil, fmt.Errorf("identity %s: arn %q is not an IAM user or role ARN", id.AccessKeyID, id.ARN)
		}
		c := Caller{Account: m[1], ARN: id.ARN}
		if m[3] == "role" {
			session := id.SessionName
			if session == "" {
				session = "kms53"
			}
			c.RoleARN = id.ARN
			c.ARN = "arn:aws:sts::" + m[1] + ":assumed-role/" + m[4] + "/" + session
		}
		for j, p := range id.Policies {
			parsed, err := policy.Parse(p.Document)
			if err != nil {
				return nil, fmt.Errorf("identity %s: policy %d (%s): %v", id.AccessKeyID, j+1, p.Name, err)
			}
			for _, st := range parsed.Statements {
				if st.Principal.Present || st.NotPrincipal.Present {
					return nil, fmt.Errorf("identity %s: policy %s: identity policies cannot have a Principal", id.AccessKeyID, p.Name)
				}
			}
			name := p.Name
			if name == "" {
				name = fmt.Sprintf("policy-%d", j+1)
			}
			c.Policies = append(c.Policies, NamedPolicy{Name: name, Policy: parsed})
		}
		d.byKey[id.AccessKeyID] = entry{caller: c, secret: id.SecretAccessKey}
	}
	return d, nil
}

// Lookup returns the caller and secret of an access key: a configured identity, or else, for a
// 12-digit access key, that account's root (with no secret).
func (d *Directory) Lookup(accessKeyID string) (Caller, string, bool) {
	if d != nil {
		if e, ok := d.byKey[accessKeyID]; ok {
			return e.caller, e.secret, true
		}
	}
	if IsAccountID(accessKeyID) {
		return Root(accessKeyID), "", true
	}
	return Caller{}, "", false
}
