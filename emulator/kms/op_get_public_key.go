package kms

import (
	"crypto/x509"

	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// GetPublicKeyInput is the GetPublicKey request.
type GetPublicKeyInput struct {
	KeyID       string   `json:"KeyId"`
	GrantTokens []string `json:"GrantTokens"`
}

// GetPublicKeyOutput is the GetPublicKey response.
type GetPublicKeyOutput struct {
	CustomerMasterKeySpec  string   `json:"CustomerMasterKeySpec"`
	EncryptionAlgorithms   []string `json:"EncryptionAlgorithms,omitempty"`
	KeyAgreementAlgorithms []string `json:"KeyAgreementAlgorithms,omitempty"`
	KeyID                  string   `json:"KeyId"`
	KeySpec                string   `json:"KeySpec"`
	KeyUsage               string   `json:"KeyUsage"`
	PublicKey              []byte   `json:"PublicKey"`
	SigningAlgorithms      []string `json:"SigningAlgorithms,omitempty"`
}

// GetPublicKey returns the DER SubjectPublicKeyInfo of an asymmetric key.
func (s *Service) GetPublicKey(rc *Request, in *GetPublicKeyInput) (*GetPublicKeyOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	checkGrantTokens(&c, in.GrantTokens)
	if err := c.Err(); err != nil {
		return nil, err
	}
	k, err := s.resolveKey(rc, "kms:GetPublicKey", in.KeyID, true)
	if err != nil {
		return nil, err
	}
	if err := usable(k); err != nil {
		return nil, err
	}
	if k.Signer == nil {
		// UNVERIFIED text; the code is the model's for keys without a public key.
		return nil, awsproto.Errorf(codeUnsupportedOperation, "%s key usage is %s which is not valid for GetPublicKey.", k.ARN, k.KeyUsage)
	}
	der, err := x509.MarshalPKIXPublicKey(k.Signer.Public())
	if err != nil {
		return nil, err
	}
	signing, encryption, _, agreement := algorithms(k.KeySpec, k.KeyUsage)
	return &GetPublicKeyOutput{
		CustomerMasterKeySpec:  k.KeySpec,
		EncryptionAlgorithms:   encryption,
		KeyAgreementAlgorithms: agreement,
		KeyID:                  k.ARN,
		KeySpec:                k.KeySpec,
		KeyUsage:               k.KeyUsage,
		PublicKey:              der,
		SigningAlgorithms:      signing,
	}, nil
}
