package kms

import (
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// ListRetirableGrantsInput is the ListRetirableGrants request.
type ListRetirableGrantsInput struct {
	RetiringPrincipal string `json:"RetiringPrincipal"`
	Limit             *int   `json:"Limit"`
	Marker            string `json:"Marker"`
}

// ListRetirableGrants lists the grants, on the caller's keys in the region, that a principal may
// retire. IAM policies alone govern it.
func (s *Service) ListRetirableGrants(rc *Request, in *ListRetirableGrantsInput) (*ListGrantsOutput, error) {
	var c awsproto.Checks
	c.Required("retiringPrincipal", in.RetiringPrincipal != "")
	if in.RetiringPrincipal != "" {
		c.Length("retiringPrincipal", in.RetiringPrincipal, 1, 256)
	}
	limit := min(checkPaging(&c, in.Limit, in.Marker, 1000, 50), 100)
	if err := c.Err(); err != nil {
		return nil, err
	}
	if err := s.authorizeIAM(rc, "kms:ListRetirableGrants", "*", nil); err != nil {
		return nil, err
	}
	arns := map[string]string{}
	for _, k := range s.liveKeys(rc.Caller.Account, rc.Region) {
		arns[k.ID] = k.ARN
	}
	var grants []store.Grant
	for _, g := range s.store.AllGrants() {
		if _, mine := arns[g.KeyID]; mine && (g.RetiringPrincipal == in.RetiringPrincipal || g.RetiringServicePrincipal == in.RetiringPrincipal) {
			grants = append(grants, g)
		}
	}
	return grantPage(grants, in.Marker, limit, func(id string) string { return arns[id] })
}
