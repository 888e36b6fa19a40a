package kms

import "github.com/kms53/kms53/emulator/internal/awsproto"

// VerifyInput is the Verify request.
type VerifyInput struct {
	KeyID            string   `json:"KeyId"`
	Message          []byte   `json:"Message"`
	MessageType      string   `json:"MessageType"`
	Signature        []byte   `json:"Signature"`
	SigningAlgorithm string   `json:"SigningAlgorithm"`
	GrantTokens      []string `json:"GrantTokens"`
	DryRun           bool     `json:"DryRun"`
}

// VerifyOutput is the Verify response. SignatureValid is always true: an invalid signature is a
// KMSInvalidSignatureException, never SignatureValid false.
type VerifyOutput struct {
	KeyID            string `json:"KeyId"`
	SignatureValid   bool   `json:"SignatureValid"`
	SigningAlgorithm string `json:"SigningAlgorithm"`
}

// Verify checks a signature made by an asymmetric SIGN_VERIFY key.
func (s *Service) Verify(rc *Request, in *VerifyInput) (*VerifyOutput, error) {
	p := signingParams{in.KeyID, in.Message, in.MessageType, in.SigningAlgorithm, in.GrantTokens}
	var c awsproto.Checks
	p.check(&c, in.Message != nil)
	c.Required("signature", in.Signature != nil)
	if in.Signature != nil {
		c.BlobLength("signature", in.Signature, 1, 6144)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, alg, digest, err := s.prepare(rc, p, "Verify")
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	if !verify(k.Signer.Public(), alg, digest, in.Signature) {
		return nil, awsproto.Errorf(codeInvalidSignature, "")
	}
	return &VerifyOutput{KeyID: k.ARN, SignatureValid: true, SigningAlgorithm: in.SigningAlgorithm}, nil
}
