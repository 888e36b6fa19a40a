package kms

import (
	"slices"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// RetireGrantInput is the RetireGrant request.
type RetireGrantInput struct {
	GrantToken string `json:"GrantToken"`
	KeyID      string `json:"KeyId"`
	GrantID    string `json:"GrantId"`
	DryRun     bool   `json:"DryRun"`
}

// RetireGrantOutput is the (empty) RetireGrant response.
type RetireGrantOutput struct{}

// RetireGrant deletes a grant, named by its token or by key and grant id. The retiring
// principal may retire it, so may the grantee when the grant allows RetireGrant, and so may
// principals the key's policy allows kms:RetireGrant.
func (s *Service) RetireGrant(rc *Request, in *RetireGrantInput) (*RetireGrantOutput, error) {
	var c awsproto.Checks
	if in.GrantToken != "" {
		c.Length("grantToken", in.GrantToken, 1, 8192)
	}
	if in.KeyID != "" {
		c.Length("keyId", in.KeyID, 1, 2048)
	}
	if in.GrantID != "" {
		c.Length("grantId", in.GrantID, 1, 128)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	var g store.Grant
	var k store.Key
	switch {
	case in.GrantToken != "":
		var ok bool
		if g, ok = s.findGrantByToken(in.GrantToken); !ok {
			return nil, awsproto.Errorf("InvalidGrantTokenException", "Grant token is not valid or its grant was retired or revoked.")
		}
		var err error
		if k, err = s.store.Key(g.KeyID); err != nil {
			return nil, awsproto.Errorf(codeNotFound, "Key of grant %s does not exist", g.ID)
		}
	case in.KeyID != "" && in.GrantID != "":
		var err error
		if k, err = s.resolveKey(rc, "", in.KeyID, false); err != nil {
			return nil, err
		}
		if g, err = s.grant(k, in.GrantID); err != nil {
			return nil, err
		}
	default:
		return nil, awsproto.Errorf(codeValidation, "Either GrantToken, or both KeyId and GrantId, must be specified.")
	}
	retiring := g.RetiringPrincipal + g.RetiringServicePrincipal
	grantee := g.GranteePrincipal + g.GranteeServicePrincipal
	if !granteeMatches(retiring, rc) && !(granteeMatches(grantee, rc) && slices.Contains(g.Operations, "RetireGrant")) {
		if err := s.authorizeKey(rc, "kms:RetireGrant", k); err != nil {
			return nil, err
		}
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	return nil, s.deleteGrant(k, g.ID)
}

// grant finds a grant of a key by id.
func (s *Service) grant(k store.Key, id string) (store.Grant, error) {
	if !grantIDPattern.MatchString(id) {
		return store.Grant{}, awsproto.Errorf("InvalidGrantIdException", "Grant ID %s is not valid.", id)
	}
	for _, g := range s.store.Grants(k.ID) {
		if g.ID == id {
			return g, nil
		}
	}
	// UNVERIFIED text; the code is the model's.
	return store.Grant{}, awsproto.Errorf(codeNotFound, "Grant ID %s not found for key %s", id, k.ARN)
}

func (s *Service) deleteGrant(k store.Key, id string) error {
	if err := s.store.DeleteGrant(k.ID, id); err != nil {
		return awsproto.Errorf(codeNotFound, "Grant ID %s not found for key %s", id, k.ARN)
	}
	return nil
}
