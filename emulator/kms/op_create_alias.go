package kms

import (
	"errors"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// CreateAliasInput is the CreateAlias request.
type CreateAliasInput struct {
	AliasName   string `json:"AliasName"`
	TargetKeyID string `json:"TargetKeyId"`
}

// CreateAliasOutput is the (empty) CreateAlias response.
type CreateAliasOutput struct{}

// CreateAlias gives a key a friendly name, unique in the account and region.
func (s *Service) CreateAlias(rc *Request, in *CreateAliasInput) (*CreateAliasOutput, error) {
	var c awsproto.Checks
	c.Required("targetKeyId", in.TargetKeyID != "")
	if err := c.Err(); err != nil {
		return nil, err
	}
	if err := checkAliasName(in.AliasName, true); err != nil {
		return nil, err
	}
	if err := s.authorizeIAM(rc, "kms:CreateAlias", AliasARN(rc.Region, rc.Caller.Account, in.AliasName), nil); err != nil {
		return nil, err
	}
	k, err := s.aliasTarget(rc, "kms:CreateAlias", in.TargetKeyID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.store.CreateAlias(store.Alias{
		Name:            in.AliasName,
		ARN:             AliasARN(rc.Region, rc.Caller.Account, in.AliasName),
		Account:         rc.Caller.Account,
		Region:          rc.Region,
		TargetKeyID:     k.ID,
		CreationDate:    now,
		LastUpdatedDate: now,
	})
	if errors.Is(err, store.ErrExists) {
		// UNVERIFIED text (AWS-BEHAVIOUR §5.9); the code is AWS's.
		return nil, awsproto.Errorf(codeAlreadyExists, "An alias with the name %s already exists",
			AliasARN(rc.Region, rc.Caller.Account, in.AliasName))
	}
	return nil, err
}
