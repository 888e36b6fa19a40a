package kms

// DisableKeyInput is the DisableKey request.
type DisableKeyInput struct {
	KeyID string `json:"KeyId"`
}

// DisableKeyOutput is the (empty) DisableKey response.
type DisableKeyOutput struct{}

// DisableKey sets a key's state to Disabled: cryptographic operations then fail with
// DisabledException. Refused while the key is pending deletion.
func (s *Service) DisableKey(rc *Request, in *DisableKeyInput) (*DisableKeyOutput, error) {
	return nil, s.setState(rc, in.KeyID, stateDisabled)
}
