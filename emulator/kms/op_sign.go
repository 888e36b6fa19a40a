package kms

import "github.com/kms53/kms53/emulator/internal/awsproto"

// SignInput is the Sign request.
type SignInput struct {
	KeyID            string   `json:"KeyId"`
	Message          []byte   `json:"Message"`
	MessageType      string   `json:"MessageType"`
	SigningAlgorithm string   `json:"SigningAlgorithm"`
	GrantTokens      []string `json:"GrantTokens"`
	DryRun           bool     `json:"DryRun"`
}

// SignOutput is the Sign response.
type SignOutput struct {
	KeyID            string `json:"KeyId"`
	Signature        []byte `json:"Signature"`
	SigningAlgorithm string `json:"SigningAlgorithm"`
}

// Sign signs a message or digest with an asymmetric SIGN_VERIFY key. ECDSA signatures are DER.
func (s *Service) Sign(rc *Request, in *SignInput) (*SignOutput, error) {
	p := signingParams{in.KeyID, in.Message, in.MessageType, in.SigningAlgorithm, in.GrantTokens}
	var c awsproto.Checks
	p.check(&c, in.Message != nil)
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, alg, digest, err := s.prepare(rc, p, "Sign")
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	sig, err := sign(k.Signer, alg, digest)
	if err != nil {
		return nil, err
	}
	return &SignOutput{KeyID: k.ARN, Signature: sig, SigningAlgorithm: in.SigningAlgorithm}, nil
}
