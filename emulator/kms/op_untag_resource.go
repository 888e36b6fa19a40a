package kms

import (
	"fmt"
	"slices"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// UntagResourceInput is the UntagResource request.
type UntagResourceInput struct {
	KeyID   string   `json:"KeyId"`
	TagKeys []string `json:"TagKeys"`
}

// UntagResourceOutput is the (empty) UntagResource response.
type UntagResourceOutput struct{}

// UntagResource removes tags from a key by tag key; keys the key does not have are ignored.
func (s *Service) UntagResource(rc *Request, in *UntagResourceInput) (*UntagResourceOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	c.Required("tagKeys", in.TagKeys != nil)
	for i, tk := range in.TagKeys {
		c.Length(fmt.Sprintf("tagKeys.%d.member", i+1), tk, 1, 128)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:UntagResource", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	_, err = s.updateKey(k, func(k *store.Key) error {
		if err := notPendingDeletion(*k); err != nil {
			return err
		}
		k.Tags = slices.DeleteFunc(k.Tags, func(t store.Tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		return nil
	})
	return nil, err
}
