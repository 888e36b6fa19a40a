package kms

// DeleteAliasInput is the DeleteAlias request.
type DeleteAliasInput struct {
	AliasName string `json:"AliasName"`
}

// DeleteAliasOutput is the (empty) DeleteAlias response.
type DeleteAliasOutput struct{}

// DeleteAlias removes an alias; the key it points to is not affected.
func (s *Service) DeleteAlias(rc *Request, in *DeleteAliasInput) (*DeleteAliasOutput, error) {
	if err := checkAliasName(in.AliasName, false); err != nil {
		return nil, err
	}
	a, err := s.store.Alias(rc.Caller.Account, rc.Region, in.AliasName)
	if err != nil {
		return nil, aliasNotFound(rc, in.AliasName)
	}
	if err := s.authorizeIAM(rc, "kms:DeleteAlias", a.ARN, nil); err != nil {
		return nil, err
	}
	if k, err := s.store.Key(a.TargetKeyID); err == nil {
		if err := s.authorizeKey(rc, "kms:DeleteAlias", k); err != nil {
			return nil, err
		}
	}
	if err := s.store.DeleteAlias(rc.Caller.Account, rc.Region, in.AliasName); err != nil {
		return nil, aliasNotFound(rc, in.AliasName)
	}
	return nil, nil
}
