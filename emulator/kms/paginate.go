package kms

import (
	"encoding/base64"
	"fmt"

	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// page returns the items of one page of a sorted list: those whose position key is at or after
// the marker, at most limit of them, and the marker of the next page ("" on the last page).
// Markers are opaque to clients: the base64 of the position key of the next page's first item.
func page[T any](items []T, marker string, limit int, key func(T) string) ([]T, string, error) {
	start := 0
	if marker != "" {
		raw, err := base64.RawURLEncoding.DecodeString(marker)
		if err != nil || len(raw) == 0 {
			return nil, "", awsproto.Errorf(codeInvalidMarker, "Invalid marker %s", marker)
		}
		from := string(raw)
		for start < len(items) && key(items[start]) < from {
			start++
		}
	}
	end := min(start+limit, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(key(items[end])))
	}
	return items[start:end], next, nil
}

// checkPaging validates Limit and Marker and returns the limit to use.
func checkPaging(c *awsproto.Checks, limit *int, marker string, max, def int) int {
	if limit != nil {
		c.Range("limit", *limit, 1, max)
	}
	if marker != "" {
		c.Length("marker", marker, 1, 1024)
	}
	if limit == nil {
		return def
	}
	return *limit
}

// checkKeyID validates a required KeyId member.
func checkKeyID(c *awsproto.Checks, keyID string) {
	c.Required("keyId", keyID != "")
	if keyID != "" {
		c.Length("keyId", keyID, 1, 2048)
	}
}

// checkGrantTokens validates a GrantTokens member.
func checkGrantTokens(c *awsproto.Checks, tokens []string) {
	if len(tokens) > 10 {
		c.AddNoValue("grantTokens", "Member must have length less than or equal to 10")
	}
	for i, t := range tokens {
		if len(t) < 1 || len(t) > 8192 {
			c.Length(fmt.Sprintf("grantTokens.%d.member", i+1), t, 1, 8192)
		}
	}
}
