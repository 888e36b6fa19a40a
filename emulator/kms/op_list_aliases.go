package kms

import (
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ListAliasesInput is the ListAliases request.
type ListAliasesInput struct {
	KeyID  string `json:"KeyId"`
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

// ListAliasesOutput is the ListAliases response.
type ListAliasesOutput struct {
	Aliases    []AliasListEntry `json:"Aliases"`
	NextMarker string           `json:"NextMarker,omitempty"`
	Truncated  bool             `json:"Truncated"`
}

// AliasListEntry is one entry of ListAliases.
type AliasListEntry struct {
	AliasArn        string `json:"AliasArn"`
	AliasName       string `json:"AliasName"`
	CreationDate    *Time  `json:"CreationDate,omitempty"`
	LastUpdatedDate *Time  `json:"LastUpdatedDate,omitempty"`
	TargetKeyID     string `json:"TargetKeyId,omitempty"`
}

// ListAliases lists the caller's aliases in the region sorted by name, or those of one key;
// 50 a page by default, at most 100.
func (s *Service) ListAliases(rc *Request, in *ListAliasesInput) (*ListAliasesOutput, error) {
	var c awsproto.Checks
	limit := min(checkPaging(&c, in.Limit, in.Marker, 1000, 50), 100)
	if in.KeyID != "" {
		c.Length("keyId", in.KeyID, 1, 2048)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if err := s.authorizeIAM(rc, "kms:ListAliases", "*", nil); err != nil {
		return nil, err
	}
	s.liveKeys(rc.Caller.Account, rc.Region) // deletes expired keys and their aliases
	aliases := s.store.Aliases(rc.Caller.Account, rc.Region)
	if in.KeyID != "" {
		k, err := s.resolveKey(rc, "", in.KeyID, false)
		if err != nil {
			return nil, err
		}
		mine := aliases[:0]
		for _, a := range aliases {
			if a.TargetKeyID == k.ID {
				mine = append(mine, a)
			}
		}
		aliases = mine
	}
	aliases, next, err := page(aliases, in.Marker, limit, func(a store.Alias) string { return a.Name })
	if err != nil {
		return nil, err
	}
	out := &ListAliasesOutput{Aliases: []AliasListEntry{}, NextMarker: next, Truncated: next != ""}
	for _, a := range aliases {
		out.Aliases = append(out.Aliases, AliasListEntry{
			AliasArn:        a.ARN,
			AliasName:       a.Name,
			CreationDate:    timePtr(a.CreationDate),
			LastUpdatedDate: timePtr(a.LastUpdatedDate),
			TargetKeyID:     a.TargetKeyID,
		})
	}
	return out, nil
}
