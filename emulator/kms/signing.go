package kms

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
)

// signingParams are the members Sign and Verify share.
type signingParams struct {
	KeyID            string
	Message          []byte
	MessageType      string
	SigningAlgorithm string
	GrantTokens      []string
}

// check validates the shared members into c.
func (p signingParams) check(c *awsproto.Checks, messagePresent bool) {
	checkKeyID(c, p.KeyID)
	c.Required("message", messagePresent)
	if messagePresent {
		c.BlobLength("message", p.Message, 1, 4096)
	}
	c.Enum("messageType", p.MessageType, enumValues(types.MessageType("").Values()))
	c.Required("signingAlgorithm", p.SigningAlgorithm != "")
	c.Enum("signingAlgorithm", p.SigningAlgorithm, enumValues(types.SigningAlgorithmSpec("").Values()))
	checkGrantTokens(c, p.GrantTokens)
}

// prepare resolves the key and checks state, usage and algorithm in the order KMS does, and
// returns the key, the algorithm and the digest to sign or verify.
func (s *Service) prepare(rc *Request, p signingParams, op string) (store.Key, signingAlgorithm, []byte, error) {
	if rc.Context == nil {
		rc.Context = policy.Context{}
	}
	rc.Context.Set("kms:SigningAlgorithm", p.SigningAlgorithm)
	messageType := p.MessageType
	if messageType == "" {
		messageType = "RAW"
	}
	rc.Context.Set("kms:MessageType", messageType)
	k, err := s.resolveKey(rc, "kms:"+op, p.KeyID, true)
	if err != nil {
		return store.Key{}, signingAlgorithm{}, nil, err
	}
	if err := usable(k); err != nil {
		return store.Key{}, signingAlgorithm{}, nil, err
	}
	if k.KeyUsage != "SIGN_VERIFY" {
		return store.Key{}, signingAlgorithm{}, nil, errKeyUsage(k.ARN, k.KeyUsage, op)
	}
	allowed, _, _, _ := algorithms(k.KeySpec, k.KeyUsage)
	alg, known := signingAlgorithms[p.SigningAlgorithm]
	if !known || !slices.Contains(allowed, p.SigningAlgorithm) {
		// UNVERIFIED text; the code is the model's for an algorithm the key spec does not support.
		return store.Key{}, signingAlgorithm{}, nil, awsproto.Errorf(codeInvalidKeyUsage,
			"Algorithm %s is incompatible with key spec %s.", p.SigningAlgorithm, k.KeySpec)
	}
	if p.MessageType == "EXTERNAL_MU" {
		// EXTERNAL_MU is for ML-DSA keys only, which kms53 does not implement. UNVERIFIED text.
		return store.Key{}, signingAlgorithm{}, nil, awsproto.Errorf(codeInvalidKeyUsage,
			"Message type EXTERNAL_MU is not valid for signing algorithm %s.", p.SigningAlgorithm)
	}
	digest, err := digestOf(alg, p.SigningAlgorithm, p.MessageType, p.Message)
	if err != nil {
		return store.Key{}, signingAlgorithm{}, nil, err
	}
	return k, alg, digest, nil
}
