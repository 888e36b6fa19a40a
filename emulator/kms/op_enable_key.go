package kms

import (
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// EnableKeyInput is the EnableKey request.
type EnableKeyInput struct {
	KeyID string `json:"KeyId"`
}

// EnableKeyOutput is the (empty) EnableKey response.
type EnableKeyOutput struct{}

// EnableKey sets a key's state to Enabled; refused while the key is pending deletion.
func (s *Service) EnableKey(rc *Request, in *EnableKeyInput) (*EnableKeyOutput, error) {
	return nil, s.setState(rc, in.KeyID, stateEnabled)
}

// setState is EnableKey and DisableKey.
func (s *Service) setState(rc *Request, keyID, state string) error {
	var c awsproto.Checks
	checkKeyID(&c, keyID)
	if err := c.Err(); err != nil {
		return err
	}
	action := "kms:EnableKey"
	if state == stateDisabled {
		action = "kms:DisableKey"
	}
	k, err := s.resolveKey(rc, action, keyID, false)
	if err != nil {
		return err
	}
	_, err = s.updateKey(k, func(k *store.Key) error {
		if err := notPendingDeletion(*k); err != nil {
			return err
		}
		k.State = state
		return nil
	})
	return err
}
