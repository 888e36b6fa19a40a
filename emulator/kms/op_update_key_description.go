package kms

import (
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// UpdateKeyDescriptionInput is the UpdateKeyDescription request.
type UpdateKeyDescriptionInput struct {
	KeyID       string  `json:"KeyId"`
	Description *string `json:"Description"`
}

// UpdateKeyDescriptionOutput is the (empty) UpdateKeyDescription response.
type UpdateKeyDescriptionOutput struct{}

// UpdateKeyDescription replaces a key's description; refused while the key is pending deletion.
func (s *Service) UpdateKeyDescription(rc *Request, in *UpdateKeyDescriptionInput) (*UpdateKeyDescriptionOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	c.Required("description", in.Description != nil)
	if in.Description != nil {
		c.Length("description", *in.Description, 0, 8192)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:UpdateKeyDescription", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	_, err = s.updateKey(k, func(k *store.Key) error {
		if err := notPendingDeletion(*k); err != nil {
			return err
		}
		k.Description = *in.Description
		return nil
	})
	return nil, err
}
