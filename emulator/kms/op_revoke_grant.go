package kms

import "github.com/kms53/kms53/emulator/internal/awsproto"

// RevokeGrantInput is the RevokeGrant request.
type RevokeGrantInput struct {
	KeyID   string `json:"KeyId"`
	GrantID string `json:"GrantId"`
	DryRun  bool   `json:"DryRun"`
}

// RevokeGrantOutput is the (empty) RevokeGrant response.
type RevokeGrantOutput struct{}

// RevokeGrant deletes a grant; the key policy (or IAM) must allow kms:RevokeGrant.
func (s *Service) RevokeGrant(rc *Request, in *RevokeGrantInput) (*RevokeGrantOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	c.Required("grantId", in.GrantID != "")
	if in.GrantID != "" {
		c.Length("grantId", in.GrantID, 1, 128)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:RevokeGrant", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	if _, err := s.grant(k, in.GrantID); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	return nil, s.deleteGrant(k, in.GrantID)
}
