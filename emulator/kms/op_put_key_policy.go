package kms

import (
	"fmt"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// PutKeyPolicyInput is the PutKeyPolicy request.
type PutKeyPolicyInput struct {
	KeyID                          string  `json:"KeyId"`
	PolicyName                     string  `json:"PolicyName"`
	Policy                         *string `json:"Policy"`
	BypassPolicyLockoutSafetyCheck bool    `json:"BypassPolicyLockoutSafetyCheck"`
}

// PutKeyPolicyOutput is the (empty) PutKeyPolicy response.
type PutKeyPolicyOutput struct{}

// PutKeyPolicy replaces a key's policy. The document is stored as given, after its size and
// structure are checked; it works in every key state.
func (s *Service) PutKeyPolicy(rc *Request, in *PutKeyPolicyInput) (*PutKeyPolicyOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	checkPolicyName(&c, in.PolicyName)
	c.Required("policy", in.Policy != nil)
	if in.Policy != nil {
		checkPolicyField(&c, *in.Policy)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	rc.Context = withKey(rc.Context, "kms:BypassPolicyLockoutSafetyCheck", fmt.Sprint(in.BypassPolicyLockoutSafetyCheck))
	k, err := s.resolveKey(rc, "kms:PutKeyPolicy", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	if err := s.checkPolicyName(k, in.PolicyName); err != nil {
		return nil, err
	}
	compiled, err := s.checkNewPolicy(rc, *in.Policy, in.BypassPolicyLockoutSafetyCheck, k.ARN, &k)
	if err != nil {
		return nil, err
	}
	_, err = s.updateKey(k, func(k *store.Key) error {
		k.Policy, k.Compiled = *in.Policy, compiled
		return nil
	})
	return nil, err
}
