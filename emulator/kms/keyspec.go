package kms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	_ "crypto/sha512"
	"encoding/hex"

	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// keySpec describes one KeySpec kms53 implements: the usages it allows and, per usage, the
// algorithms DescribeKey lists.
type keySpec struct {
	usages   []string // allowed KeyUsage values, the first is the default where one exists
	required bool     // KeyUsage must be given (every spec but SYMMETRIC_DEFAULT)
	generate func() (crypto.Signer, []byte, error)
}

// keySpecs are the KeySpec values kms53 implements.
var keySpecs = map[string]keySpec{
	"RSA_2048":          {usages: []string{"SIGN_VERIFY", "ENCRYPT_DECRYPT"}, required: true, generate: rsaKey(2048)},
	"RSA_3072":          {usages: []string{"SIGN_VERIFY", "ENCRYPT_DECRYPT"}, required: true, generate: rsaKey(3072)},
	"RSA_4096":          {usages: []string{"SIGN_VERIFY", "ENCRYPT_DECRYPT"}, required: true, generate: rsaKey(4096)},
	"ECC_NIST_P256":     {usages: []string{"SIGN_VERIFY", "KEY_AGREEMENT"}, required: true, generate: ecKey(elliptic.P256())},
	"ECC_NIST_P384":     {usages: []string{"SIGN_VERIFY", "KEY_AGREEMENT"}, required: true, generate: ecKey(elliptic.P384())},
	"ECC_NIST_P521":     {usages: []string{"SIGN_VERIFY", "KEY_AGREEMENT"}, required: true, generate: ecKey(elliptic.P521())},
	"SYMMETRIC_DEFAULT": {usages: []string{"ENCRYPT_DECRYPT"}, generate: secretKey(32)},
	"HMAC_224":          {usages: []string{"GENERATE_VERIFY_MAC"}, required: true, generate: secretKey(28)},
	"HMAC_256":          {usages: []string{"GENERATE_VERIFY_MAC"}, required: true, generate: secretKey(32)},
	"HMAC_384":          {usages: []string{"GENERATE_VERIFY_MAC"}, required: true, generate: secretKey(48)},
	"HMAC_512":          {usages: []string{"GENERATE_VERIFY_MAC"}, required: true, generate: secretKey(64)},
}

// implementedKeySpecs lists keySpecs in a stable order for validation messages.
var implementedKeySpecs = []string{
	"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
	"SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512",
}

func rsaKey(bits int) func() (crypto.Signer, []byte, error) {
	return func() (crypto.Signer, []byte, error) {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		return k, nil, err
	}
}

func ecKey(c elliptic.Curve) func() (crypto.Signer, []byte, error) {
	return func() (crypto.Signer, []byte, error) {
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		return k, nil, err
	}
}

func secretKey(n int) func() (crypto.Signer, []byte, error) {
	return func() (crypto.Signer, []byte, error) {
		b := make([]byte, n)
		_, err := rand.Read(b)
		return nil, b, err
	}
}

// signingAlgorithm is one KMS SigningAlgorithmSpec.
type signingAlgorithm struct {
	hash crypto.Hash
	pss  bool
}

var signingAlgorithms = map[string]signingAlgorithm{
	"RSASSA_PSS_SHA_256":        {crypto.SHA256, true},
	"RSASSA_PSS_SHA_384":        {crypto.SHA384, true},
	"RSASSA_PSS_SHA_512":        {crypto.SHA512, true},
	"RSASSA_PKCS1_V1_5_SHA_256": {crypto.SHA256, false},
	"RSASSA_PKCS1_V1_5_SHA_384": {crypto.SHA384, false},
	"RSASSA_PKCS1_V1_5_SHA_512": {crypto.SHA512, false},
	"ECDSA_SHA_256":             {crypto.SHA256, false},
	"ECDSA_SHA_384":             {crypto.SHA384, false},
	"ECDSA_SHA_512":             {crypto.SHA512, false},
}

// algorithms returns the algorithm lists DescribeKey and GetPublicKey show for a spec and usage.
func algorithms(spec, usage string) (signing, encryption, mac, agreement []string) {
	switch {
	case usage == "SIGN_VERIFY" && (spec == "RSA_2048" || spec == "RSA_3072" || spec == "RSA_4096"):
		signing = []string{"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
			"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"}
	case usage == "SIGN_VERIFY" && spec == "ECC_NIST_P256":
		signing = []string{"ECDSA_SHA_256"}
	case usage == "SIGN_VERIFY" && spec == "ECC_NIST_P384":
		signing = []string{"ECDSA_SHA_384"}
	case usage == "SIGN_VERIFY" && spec == "ECC_NIST_P521":
		signing = []string{"ECDSA_SHA_512"}
	case usage == "ENCRYPT_DECRYPT" && spec == "SYMMETRIC_DEFAULT":
		encryption = []string{"SYMMETRIC_DEFAULT"}
	case usage == "ENCRYPT_DECRYPT":
		encryption = []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}
	case usage == "KEY_AGREEMENT":
		agreement = []string{"ECDH"}
	case usage == "GENERATE_VERIFY_MAC":
		mac = []string{"HMAC_SHA_" + spec[len("HMAC_"):]}
	}
	return
}

// sign signs a message (RAW, hashed here) or a digest (DIGEST) with the key's signer: DER for
// ECDSA, as KMS returns it; PSS with a salt as long as the digest, as KMS does.
func sign(signer crypto.Signer, alg signingAlgorithm, digest []byte) ([]byte, error) {
	var opts crypto.SignerOpts = alg.hash
	if alg.pss {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.hash}
	}
	return signer.Sign(rand.Reader, digest, opts)
}

// verify checks a signature over a digest against a public key.
func verify(pub crypto.PublicKey, alg signingAlgorithm, digest, sig []byte) bool {
	switch pub := pub.(type) {
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(pub, digest, sig)
	case *rsa.PublicKey:
		if alg.pss {
			return rsa.VerifyPSS(pub, alg.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
		}
		return rsa.VerifyPKCS1v15(pub, alg.hash, digest, sig) == nil
	}
	return false
}

// digestOf hashes a RAW message or checks the length of a DIGEST one.
func digestOf(alg signingAlgorithm, algName, messageType string, message []byte) ([]byte, error) {
	if messageType == "DIGEST" {
		if len(message) != alg.hash.Size() {
			return nil, awsproto.Errorf(codeValidation, "Digest is invalid length for algorithm %s.", algName)
		}
		return message, nil
	}
	h := alg.hash.New()
	h.Write(message)
	return h.Sum(nil), nil
}

// materialID names symmetric key material without revealing it: the hex SHA-256 of the material.
func materialID(secret []byte) string {
	sum := sha256.Sum256(secret)
	return hex.EncodeToString(sum[:])
}
