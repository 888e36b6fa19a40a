package kms

import "github.com/kms53/kms53/emulator/internal/awsproto"

// ListKeyPoliciesInput is the ListKeyPolicies request.
type ListKeyPoliciesInput struct {
	KeyID  string `json:"KeyId"`
	Limit  *int   `json:"Limit"`
	Marker string `json:"Marker"`
}

// ListKeyPoliciesOutput is the ListKeyPolicies response.
type ListKeyPoliciesOutput struct {
	NextMarker  string   `json:"NextMarker,omitempty"`
	PolicyNames []string `json:"PolicyNames"`
	Truncated   bool     `json:"Truncated"`
}

// ListKeyPolicies lists a key's policy names: always exactly "default".
func (s *Service) ListKeyPolicies(rc *Request, in *ListKeyPoliciesInput) (*ListKeyPoliciesOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	checkPaging(&c, in.Limit, in.Marker, 1000, 100)
	if err := c.Err(); err != nil {
		return nil, err
	}
	if _, err := s.resolveKey(rc, "kms:ListKeyPolicies", in.KeyID, false); err != nil {
		return nil, err
	}
	if in.Marker != "" {
		// There is only ever one page, so no marker is one kms53 handed out.
		return nil, awsproto.Errorf(codeInvalidMarker, "Invalid marker %s", in.Marker)
	}
	return &ListKeyPoliciesOutput{PolicyNames: []string{"default"}}, nil
}
