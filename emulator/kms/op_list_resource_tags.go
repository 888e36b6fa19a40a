package kms

import (
	"fmt"

	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// ListResourceTagsInput is the ListResourceTags request.
type ListResourceTagsInput struct {
	KeyID  string `json:"KeyId"`
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

// ListResourceTagsOutput is the ListResourceTags response.
type ListResourceTagsOutput struct {
	NextMarker string `json:"NextMarker,omitempty"`
	Tags       []Tag  `json:"Tags"`
	Truncated  bool   `json:"Truncated"`
}

// ListResourceTags lists a key's tags in the order they were added, 50 a page at most.
func (s *Service) ListResourceTags(rc *Request, in *ListResourceTagsInput) (*ListResourceTagsOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	limit := min(checkPaging(&c, in.Limit, in.Marker, 1000, 50), 50)
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:ListResourceTags", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	type indexed struct {
		i      int
		k, val string
	}
	all := make([]indexed, len(k.Tags))
	for i, t := range k.Tags {
		all[i] = indexed{i, t.Key, t.Value}
	}
	tags, next, err := page(all, in.Marker, limit, func(t indexed) string { return fmt.Sprintf("%04d", t.i) })
	if err != nil {
		return nil, err
	}
	out := &ListResourceTagsOutput{Tags: []Tag{}, NextMarker: next, Truncated: next != ""}
	for _, t := range tags {
		out.Tags = append(out.Tags, Tag{TagKey: &t.k, TagValue: &t.val})
	}
	return out, nil
}
