package kms

import (
	"fmt"
	"time"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ScheduleKeyDeletionInput is the ScheduleKeyDeletion request.
type ScheduleKeyDeletionInput struct {
	KeyID               string `json:"KeyId"`
	PendingWindowInDays *int   `json:"PendingWindowInDays"`
}

// ScheduleKeyDeletionOutput is the ScheduleKeyDeletion response.
type ScheduleKeyDeletionOutput struct {
	DeletionDate        *Time  `json:"DeletionDate"`
	KeyID               string `json:"KeyId"`
	KeyState            string `json:"KeyState"`
	PendingWindowInDays int    `json:"PendingWindowInDays"`
}

// ScheduleKeyDeletion puts a key in PendingDeletion for 7 to 30 days (default 30). When the
// deletion date passes on the emulator's clock the key is gone: every operation on it then
// answers NotFoundException.
func (s *Service) ScheduleKeyDeletion(rc *Request, in *ScheduleKeyDeletionInput) (*ScheduleKeyDeletionOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	days := 30
	if in.PendingWindowInDays != nil {
		days = *in.PendingWindowInDays
		// The model allows 1-365, but KMS accepts 7-30 (AWS-BEHAVIOUR §5.6). UNVERIFIED text:
		// the standard range-violation form is the closest documented one.
		c.Range("pendingWindowInDays", days, 7, 30)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	rc.Context = withKey(rc.Context, "kms:ScheduleKeyDeletionPendingWindowInDays", fmt.Sprint(days))
	k, err := s.resolveKey(rc, "kms:ScheduleKeyDeletion", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	k, err = s.updateKey(k, func(k *store.Key) error {
		if err := notPendingDeletion(*k); err != nil {
			return err
		}
		k.State = statePendingDeletion
		k.DeletionDate = s.now().Add(time.Duration(days) * 24 * time.Hour)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ScheduleKeyDeletionOutput{
		DeletionDate:        timePtr(k.DeletionDate),
		KeyID:               k.ARN,
		KeyState:            k.State,
		PendingWindowInDays: days,
	}, nil
}
