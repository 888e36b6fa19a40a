package kms

import (
	"errors"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// UpdateAliasInput is the UpdateAlias request.
type UpdateAliasInput struct {
	AliasName   string `json:"AliasName"`
	TargetKeyID string `json:"TargetKeyId"`
}

// UpdateAliasOutput is the (empty) UpdateAlias response.
type UpdateAliasOutput struct{}

// UpdateAlias points an alias at another key of the same type and key usage.
func (s *Service) UpdateAlias(rc *Request, in *UpdateAliasInput) (*UpdateAliasOutput, error) {
	var c awsproto.Checks
	c.Required("targetKeyId", in.TargetKeyID != "")
	if err := c.Err(); err != nil {
		return nil, err
	}
	if err := checkAliasName(in.AliasName, false); err != nil {
		return nil, err
	}
	a, err := s.store.Alias(rc.Caller.Account, rc.Region, in.AliasName)
	if err != nil {
		return nil, aliasNotFound(rc, in.AliasName)
	}
	if err := s.authorizeIAM(rc, "kms:UpdateAlias", a.ARN, nil); err != nil {
		return nil, err
	}
	if old, err := s.store.Key(a.TargetKeyID); err == nil {
		if err := s.authorizeKey(rc, "kms:UpdateAlias", old); err != nil {
			return nil, err
		}
	}
	k, err := s.aliasTarget(rc, "kms:UpdateAlias", in.TargetKeyID)
	if err != nil {
		return nil, err
	}
	if old, err := s.store.Key(a.TargetKeyID); err == nil && !sameKind(old, k) {
		// UNVERIFIED text; the rule is AWS's (UpdateAlias documentation).
		return nil, awsproto.Errorf(codeValidation,
			"Alias %s cannot be updated: the current target key %s and the new target key %s must have the same key type and key usage.",
			in.AliasName, old.ARN, k.ARN)
	}
	_, err = s.store.UpdateAlias(rc.Caller.Account, rc.Region, in.AliasName, func(a *store.Alias) error {
		a.TargetKeyID = k.ID
		a.LastUpdatedDate = s.now()
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, aliasNotFound(rc, in.AliasName)
	}
	return nil, err
}
