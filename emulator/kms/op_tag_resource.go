package kms

import (
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// TagResourceInput is the TagResource request.
type TagResourceInput struct {
	KeyID string `json:"KeyId"`
	Tags  []Tag  `json:"Tags"`
}

// TagResourceOutput is the (empty) TagResource response.
type TagResourceOutput struct{}

// TagResource adds tags to a key or replaces the values of existing tag keys.
func (s *Service) TagResource(rc *Request, in *TagResourceInput) (*TagResourceOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	c.Required("tags", in.Tags != nil)
	if err := c.Err(); err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:TagResource", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	_, err = s.updateKey(k, func(k *store.Key) error {
		if err := notPendingDeletion(*k); err != nil {
			return err
		}
		merged, err := mergeTags(k.Tags, tags)
		k.Tags = merged
		return err
	})
	return nil, err
}
