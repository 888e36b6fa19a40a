package kms

import (
	"fmt"
	"regexp"

	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ListGrantsInput is the ListGrants request.
type ListGrantsInput struct {
	KeyID            string   `json:"KeyId"`
	Limit            *int     `json:"Limit"`
	Marker           string   `json:"Marker"`
	GrantID          string   `json:"GrantId"`
	GranteePrincipal string   `json:"GranteePrincipal"`
	GrantTokens      []string `json:"GrantTokens"`
}

// ListGrantsOutput is the ListGrants (and ListRetirableGrants) response.
type ListGrantsOutput struct {
	Grants     []GrantListEntry `json:"Grants"`
	NextMarker string           `json:"NextMarker,omitempty"`
	Truncated  bool             `json:"Truncated"`
}

// GrantListEntry is one grant in a listing.
type GrantListEntry struct {
	Constraints              *GrantConstraints `json:"Constraints,omitempty"`
	CreationDate             *Time             `json:"CreationDate,omitempty"`
	GrantID                  string            `json:"GrantId"`
	GranteePrincipal         string            `json:"GranteePrincipal,omitempty"`
	GranteeServicePrincipal  string            `json:"GranteeServicePrincipal,omitempty"`
	IssuingAccount           string            `json:"IssuingAccount"`
	KeyID                    string            `json:"KeyId"`
	Name                     string            `json:"Name,omitempty"`
	Operations               []string          `json:"Operations"`
	RetiringPrincipal        string            `json:"RetiringPrincipal,omitempty"`
	RetiringServicePrincipal string            `json:"RetiringServicePrincipal,omitempty"`
}

var grantIDPattern = regexp.MustCompile(`^[a-f0-9]{64}$`)

// ListGrants lists the grants of a key, optionally one grant or one grantee's, 50 a page by
// default and 100 at most.
func (s *Service) ListGrants(rc *Request, in *ListGrantsInput) (*ListGrantsOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	limit := min(checkPaging(&c, in.Limit, in.Marker, 1000, 50), 100)
	if in.GrantID != "" {
		c.Length("grantId", in.GrantID, 1, 128)
	}
	if in.GranteePrincipal != "" {
		c.Length("granteePrincipal", in.GranteePrincipal, 1, 256)
	}
	checkGrantTokens(&c, in.GrantTokens)
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:ListGrants", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	var grants []store.Grant
	for _, g := range s.store.Grants(k.ID) {
		if (in.GrantID == "" || g.ID == in.GrantID) &&
			(in.GranteePrincipal == "" || g.GranteePrincipal == in.GranteePrincipal || g.GranteeServicePrincipal == in.GranteePrincipal) {
			grants = append(grants, g)
		}
	}
	return grantPage(grants, in.Marker, limit, func(string) string { return k.ARN })
}

// grantPage renders one page of grants; keyARN gives each grant's key ARN.
func grantPage(grants []store.Grant, marker string, limit int, keyARN func(keyID string) string) (*ListGrantsOutput, error) {
	grants, next, err := page(grants, marker, limit, func(g store.Grant) string { return fmt.Sprintf("%020d", g.Seq) })
	if err != nil {
		return nil, err
	}
	out := &ListGrantsOutput{Grants: []GrantListEntry{}, NextMarker: next, Truncated: next != ""}
	for _, g := range grants {
		e := GrantListEntry{
			CreationDate:             timePtr(g.CreationDate),
			GrantID:                  g.ID,
			GranteePrincipal:         g.GranteePrincipal,
			GranteeServicePrincipal:  g.GranteeServicePrincipal,
			IssuingAccount:           g.IssuingAccount,
			KeyID:                    keyARN(g.KeyID),
			Name:                     g.Name,
			Operations:               g.Operations,
			RetiringPrincipal:        g.RetiringPrincipal,
			RetiringServicePrincipal: g.RetiringServicePrincipal,
		}
		if len(g.EncryptionContextEquals) > 0 || len(g.EncryptionContextSubset) > 0 || g.SourceArn != "" {
			e.Constraints = &GrantConstraints{
				EncryptionContextEquals: g.EncryptionContextEquals,
				EncryptionContextSubset: g.EncryptionContextSubset,
				SourceArn:               g.SourceArn,
			}
		}
		out.Grants = append(out.Grants, e)
	}
	return out, nil
}
