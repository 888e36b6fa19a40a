package kms

import (
	"fmt"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ListKeysInput is the ListKeys request.
type ListKeysInput struct {
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

// ListKeysOutput is the ListKeys response.
type ListKeysOutput struct {
	Keys       []KeyListEntry `json:"Keys"`
	NextMarker string         `json:"NextMarker,omitempty"`
	Truncated  bool           `json:"Truncated"`
}

// KeyListEntry is one entry of ListKeys.
type KeyListEntry struct {
	KeyArn string `json:"KeyArn"`
	KeyID  string `json:"KeyId"`
}

// ListKeys lists the caller's keys in the region, in creation order, 100 a page by default.
func (s *Service) ListKeys(rc *Request, in *ListKeysInput) (*ListKeysOutput, error) {
	var c awsproto.Checks
	limit := checkPaging(&c, in.Limit, in.Marker, 1000, 100)
	if err := c.Err(); err != nil {
		return nil, err
	}
	if err := s.authorizeIAM(rc, "kms:ListKeys", "*", nil); err != nil {
		return nil, err
	}
	keys, next, err := page(s.liveKeys(rc.Caller.Account, rc.Region), in.Marker, limit,
		func(k store.Key) string { return fmt.Sprintf("%020d", k.Seq) })
	if err != nil {
		return nil, err
	}
	out := &ListKeysOutput{Keys: []KeyListEntry{}, NextMarker: next, Truncated: next != ""}
	for _, k := range keys {
		out.Keys = append(out.Keys, KeyListEntry{KeyArn: k.ARN, KeyID: k.ID})
	}
	return out, nil
}
