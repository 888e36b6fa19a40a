package kms

import (
	"regexp"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// GetKeyPolicyInput is the GetKeyPolicy request.
type GetKeyPolicyInput struct {
	KeyID      string `json:"KeyId"`
	PolicyName string `json:"PolicyName"`
}

// GetKeyPolicyOutput is the GetKeyPolicy response.
type GetKeyPolicyOutput struct {
	Policy     string `json:"Policy"`
	PolicyName string `json:"PolicyName"`
}

// GetKeyPolicy returns a key's policy document, in every key state. The only policy name is
// "default", which is also what an absent PolicyName means.
func (s *Service) GetKeyPolicy(rc *Request, in *GetKeyPolicyInput) (*GetKeyPolicyOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	checkPolicyName(&c, in.PolicyName)
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:GetKeyPolicy", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	if err := s.checkPolicyName(k, in.PolicyName); err != nil {
		return nil, err
	}
	return &GetKeyPolicyOutput{Policy: k.Policy, PolicyName: "default"}, nil
}

var policyNamePattern = regexp.MustCompile(`^[\w]+$`)

func checkPolicyName(c *awsproto.Checks, name string) {
	if name != "" {
		c.Length("policyName", name, 1, 128)
		c.Pattern("policyName", name, `[\w]+`, policyNamePattern.MatchString(name))
	}
}

// checkPolicyName refuses policy names other than "default". UNVERIFIED text and code: AWS
// documents "default" as the only valid name; NotFoundException is the closest documented error.
func (s *Service) checkPolicyName(k store.Key, name string) error {
	if name != "" && name != "default" {
		return awsproto.Errorf(codeNotFound, "No such policy exists: %s is not a policy of key %s. The only policy name is default.", name, k.ARN)
	}
	return nil
}
