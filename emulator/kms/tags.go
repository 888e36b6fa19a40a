package kms

import (
	"fmt"
	"strings"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// Tag is a KMS tag on the wire.
type Tag struct {
	TagKey   *string `json:"TagKey"`
	TagValue *string `json:"TagValue"`
}

// maxTags is the number of tags a key can carry.
const maxTags = 50

// checkTags validates request tags: field constraints first (ValidationException), then KMS's own
// rules (TagException): reserved "aws:" prefix, duplicate keys, more than 50 tags.
func checkTags(tags []Tag) ([]store.Tag, error) {
	var c awsproto.Checks
	for i, t := range tags {
		c.Required(fmt.Sprintf("tags.%d.member.tagKey", i+1), t.TagKey != nil)
		c.Required(fmt.Sprintf("tags.%d.member.tagValue", i+1), t.TagValue != nil)
		if t.TagKey != nil {
			c.Length(fmt.Sprintf("tags.%d.member.tagKey", i+1), *t.TagKey, 1, 128)
		}
		if t.TagValue != nil {
			c.Length(fmt.Sprintf("tags.%d.member.tagValue", i+1), *t.TagValue, 0, 256)
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := make([]store.Tag, 0, len(tags))
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(*t.TagKey), "aws:") {
			return nil, awsproto.Errorf(codeTag, "Tags beginning with aws: are reserved")
		}
		if seen[*t.TagKey] {
			return nil, awsproto.Errorf(codeTag, "Duplicate tag keys")
		}
		seen[*t.TagKey] = true
		out = append(out, store.Tag{Key: *t.TagKey, Value: *t.TagValue})
	}
	if len(out) > maxTags {
		// One request cannot carry more tags than a key can have (CreateKey merges with none).
		return nil, awsproto.Errorf(codeTag, "Too many tags")
	}
	return out, nil
}

// mergeTags sets tags on existing ones, replacing values of existing keys, and enforces the limit.
func mergeTags(have, set []store.Tag) ([]store.Tag, error) {
	out := append([]store.Tag(nil), have...)
	for _, t := range set {
		replaced := false
		for i := range out {
			if out[i].Key == t.Key {
				out[i].Value, replaced = t.Value, true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		return nil, awsproto.Errorf(codeTag, "Too many tags")
	}
	return out, nil
}
