package kms

import (
	"time"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// CancelKeyDeletionInput is the CancelKeyDeletion request.
type CancelKeyDeletionInput struct {
	KeyID string `json:"KeyId"`
}

// CancelKeyDeletionOutput is the CancelKeyDeletion response.
type CancelKeyDeletionOutput struct {
	KeyID string `json:"KeyId"`
}

// CancelKeyDeletion takes a key out of PendingDeletion. As on AWS the key is then Disabled, not
// Enabled: EnableKey is needed before it can be used again.
func (s *Service) CancelKeyDeletion(rc *Request, in *CancelKeyDeletionInput) (*CancelKeyDeletionOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:CancelKeyDeletion", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	k, err = s.updateKey(k, func(k *store.Key) error {
		if k.State != statePendingDeletion {
			return errNotPendingDeletion(k.ARN)
		}
		k.State = stateDisabled
		k.DeletionDate = time.Time{}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CancelKeyDeletionOutput{KeyID: k.ARN}, nil
}
