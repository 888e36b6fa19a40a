package emulator_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// signingAlg is what the out-of-band verifier needs to know of a KMS signing algorithm.
type signingAlg struct {
	hash crypto.Hash
	kind string // "ECDSA", "PSS" or "PKCS1"
}

var signingAlgs = map[types.SigningAlgorithmSpec]signingAlg{
	"ECDSA_SHA_256":             {crypto.SHA256, "ECDSA"},
	"ECDSA_SHA_384":             {crypto.SHA384, "ECDSA"},
	"ECDSA_SHA_512":             {crypto.SHA512, "ECDSA"},
	"RSASSA_PSS_SHA_256":        {crypto.SHA256, "PSS"},
	"RSASSA_PSS_SHA_384":        {crypto.SHA384, "PSS"},
	"RSASSA_PSS_SHA_512":        {crypto.SHA512, "PSS"},
	"RSASSA_PKCS1_V1_5_SHA_256": {crypto.SHA256, "PKCS1"},
	"RSASSA_PKCS1_V1_5_SHA_384": {crypto.SHA384, "PKCS1"},
	"RSASSA_PKCS1_V1_5_SHA_512": {crypto.SHA512, "PKCS1"},
}

func digest(h crypto.Hash, msg []byte) []byte {
	w := h.New()
	w.Write(msg)
	return w.Sum(nil)
}

// parsePublicKey parses GetPublicKey's DER SubjectPublicKeyInfo and checks it is a key of spec.
func parsePublicKey(t testing.TB, spec types.KeySpec, der []byte) crypto.PublicKey {
	t.Helper()
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		t.Fatalf("x509.ParsePKIXPublicKey: %v", err)
	}
	curves := map[types.KeySpec]elliptic.Curve{
		"ECC_NIST_P256": elliptic.P256(), "ECC_NIST_P384": elliptic.P384(), "ECC_NIST_P521": elliptic.P521(),
	}
	bits := map[types.KeySpec]int{"RSA_2048": 2048, "RSA_3072": 3072, "RSA_4096": 4096}
	switch pub := pub.(type) {
	case *ecdsa.PublicKey:
		if pub.Curve != curves[spec] {
			t.Fatalf("public key of %s is on curve %s", spec, pub.Curve.Params().Name)
		}
	case *rsa.PublicKey:
		if pub.N.BitLen() != bits[spec] {
			t.Fatalf("public key of %s has %d bits", spec, pub.N.BitLen())
		}
	default:
		t.Fatalf("public key of %s is a %T", spec, pub)
	}
	return pub
}

// verifyOutOfBand checks a KMS signature over a digest with the Go standard library alone.
func verifyOutOfBand(pub crypto.PublicKey, alg signingAlg, digest, sig []byte) error {
	switch alg.kind {
	case "ECDSA":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("ECDSA with a %T", pub)
		}
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return fmt.Errorf("ecdsa.VerifyASN1 failed")
		}
		return nil
	case "PSS":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("PSS with a %T", pub)
		}
		// KMS's PSS salt is as long as the digest.
		return rsa.VerifyPSS(k, alg.hash, digest, sig, &rsa.PSSOptions{SaltLength: alg.hash.Size()})
	case "PKCS1":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("PKCS1 with a %T", pub)
		}
		return rsa.VerifyPKCS1v15(k, alg.hash, digest, sig)
	}
	return fmt.Errorf("unknown algorithm kind %s", alg.kind)
}

func TestSignAndVerify(t *testing.T) {
	t.Parallel()
	rsaAll := []types.SigningAlgorithmSpec{
		"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
		"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
	}
	tests := []struct {
		spec types.KeySpec
		algs []types.SigningAlgorithmSpec // the algorithms to exercise
		all  int                          // how many SigningAlgorithms the key lists
	}{
		{"ECC_NIST_P256", []types.SigningAlgorithmSpec{"ECDSA_SHA_256"}, 1},
		{"ECC_NIST_P384", []types.SigningAlgorithmSpec{"ECDSA_SHA_384"}, 1},
		{"ECC_NIST_P521", []types.SigningAlgorithmSpec{"ECDSA_SHA_512"}, 1},
		{"RSA_2048", rsaAll, 6},
		// RSA key generation is slow: one algorithm each on the larger sizes.
		{"RSA_3072", []types.SigningAlgorithmSpec{"RSASSA_PSS_SHA_384"}, 6},
		{"RSA_4096", []types.SigningAlgorithmSpec{"RSASSA_PKCS1_V1_5_SHA_512"}, 6},
	}
	for _, tt := range tests {
		t.Run(string(tt.spec), func(t *testing.T) {
			t.Parallel()
			c := newEnv(t).KMS()
			k := createKey(t, c, tt.spec, types.KeyUsageTypeSignVerify)
			id, arn := aws.ToString(k.KeyId), aws.ToString(k.Arn)
			if len(k.SigningAlgorithms) != tt.all {
				t.Errorf("SigningAlgorithms = %v, want %d of them", k.SigningAlgorithms, tt.all)
			}

			pk := must(getPublicKey(c, id))(t)
			if aws.ToString(pk.KeyId) != arn || pk.KeySpec != tt.spec || pk.KeyUsage != types.KeyUsageTypeSignVerify ||
				string(pk.CustomerMasterKeySpec) != string(tt.spec) || !sameSet(pk.SigningAlgorithms, k.SigningAlgorithms) ||
				len(pk.EncryptionAlgorithms) != 0 {
				t.Errorf("GetPublicKey = {KeyId %s, KeySpec %s, KeyUsage %s, CustomerMasterKeySpec %s, SigningAlgorithms %v, EncryptionAlgorithms %v}",
					aws.ToString(pk.KeyId), pk.KeySpec, pk.KeyUsage, pk.CustomerMasterKeySpec, pk.SigningAlgorithms, pk.EncryptionAlgorithms)
			}
			pub := parsePublicKey(t, tt.spec, pk.PublicKey)

			for _, algName := range tt.algs {
				alg := signingAlgs[algName]
				msg := []byte("kms53 contract test: " + string(tt.spec) + " " + string(algName))
				sum := digest(alg.hash, msg)
				for _, mt := range []types.MessageType{types.MessageTypeRaw, types.MessageTypeDigest} {
					t.Run(string(algName)+"/"+string(mt), func(t *testing.T) {
						t.Parallel()
						input := msg
						if mt == types.MessageTypeDigest {
							input = sum
						}
						out := must(c.Sign(ctx, &kms.SignInput{KeyId: aws.String(id), Message: input, MessageType: mt, SigningAlgorithm: algName}))(t)
						if aws.ToString(out.KeyId) != arn || out.SigningAlgorithm != algName {
							t.Errorf("Sign = {KeyId %s, SigningAlgorithm %s}, want {%s, %s}", aws.ToString(out.KeyId), out.SigningAlgorithm, arn, algName)
						}
						if err := verifyOutOfBand(pub, alg, sum, out.Signature); err != nil {
							t.Fatalf("out-of-band verification of a %s %s signature: %v", algName, mt, err)
						}
						if alg.kind == "ECDSA" && out.Signature[0] != 0x30 {
							t.Errorf("ECDSA signature starts %#x, want DER (0x30)", out.Signature[0])
						}

						// KMS accepts its own signature, as a RAW message and as its digest.
						for _, v := range []struct {
							mt  types.MessageType
							msg []byte
						}{{types.MessageTypeRaw, msg}, {types.MessageTypeDigest, sum}} {
							res := must(c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: v.msg, MessageType: v.mt,
								Signature: out.Signature, SigningAlgorithm: algName}))(t)
							if !res.SignatureValid || aws.ToString(res.KeyId) != arn || res.SigningAlgorithm != algName {
								t.Errorf("Verify(%s) = {SignatureValid %v, KeyId %s, SigningAlgorithm %s}", v.mt, res.SignatureValid, aws.ToString(res.KeyId), res.SigningAlgorithm)
							}
						}

						// A bad signature is an error, never SignatureValid false.
						tampered := bytes.Clone(out.Signature)
						tampered[len(tampered)/2] ^= 0x01
						other := append(bytes.Clone(msg), '!')
						for name, in := range map[string]*kms.VerifyInput{
							"tampered signature": {KeyId: aws.String(id), Message: msg, Signature: tampered, SigningAlgorithm: algName},
							"different message":  {KeyId: aws.String(id), Message: other, Signature: out.Signature, SigningAlgorithm: algName},
							"different digest": {KeyId: aws.String(id), Message: digest(alg.hash, other), MessageType: types.MessageTypeDigest,
								Signature: out.Signature, SigningAlgorithm: algName},
						} {
							res, err := c.Verify(ctx, in)
							if err == nil {
								t.Errorf("Verify with a %s = SignatureValid %v, want KMSInvalidSignatureException", name, res.SignatureValid)
								continue
							}
							wantErr[*types.KMSInvalidSignatureException](t, err, "")
						}
					})
				}
			}
		})
	}
}

func TestSignRefused(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	p256 := signingKey(t, c)
	rsaSign := createKey(t, c, "RSA_2048", "SIGN_VERIFY")
	symmetric := createKey(t, c, "SYMMETRIC_DEFAULT", "")
	hmac := createKey(t, c, "HMAC_256", "GENERATE_VERIFY_MAC")
	rsaEncrypt := createKey(t, c, "RSA_2048", "ENCRYPT_DECRYPT")
	agreement := createKey(t, c, "ECC_NIST_P256", "KEY_AGREEMENT")
	sig := must(sign(c, aws.ToString(p256.KeyId)))(t).Signature

	type call func(keyID string, msg []byte, mt types.MessageType, alg types.SigningAlgorithmSpec) error
	calls := map[string]call{
		"Sign": func(keyID string, msg []byte, mt types.MessageType, alg types.SigningAlgorithmSpec) error {
			_, err := c.Sign(ctx, &kms.SignInput{KeyId: aws.String(keyID), Message: msg, MessageType: mt, SigningAlgorithm: alg})
			return err
		},
		"Verify": func(keyID string, msg []byte, mt types.MessageType, alg types.SigningAlgorithmSpec) error {
			_, err := c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(keyID), Message: msg, MessageType: mt, Signature: sig, SigningAlgorithm: alg})
			return err
		},
	}
	usageMsg := func(k *types.KeyMetadata, op string) string {
		return fmt.Sprintf("%s key usage is %s which is not valid for %s.", aws.ToString(k.Arn), k.KeyUsage, op)
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			// Keys whose usage is not SIGN_VERIFY.
			for _, k := range []*types.KeyMetadata{symmetric, hmac, rsaEncrypt, agreement} {
				err := call(aws.ToString(k.KeyId), []byte("m"), "", "ECDSA_SHA_256")
				wantErr[*types.InvalidKeyUsageException](t, err, usageMsg(k, op))
			}
			// Algorithms the key spec does not support; the text is UNVERIFIED (§5.5).
			for _, tc := range []struct {
				k   *types.KeyMetadata
				alg types.SigningAlgorithmSpec
			}{
				{p256, "ECDSA_SHA_384"}, {p256, "ECDSA_SHA_512"}, {p256, "RSASSA_PSS_SHA_256"},
				{rsaSign, "ECDSA_SHA_256"},
			} {
				err := call(aws.ToString(tc.k.KeyId), []byte("m"), "", tc.alg)
				asErr[*types.InvalidKeyUsageException](t, err)
			}
			// A digest must be as long as the algorithm's hash.
			for _, tc := range []struct {
				k   *types.KeyMetadata
				alg types.SigningAlgorithmSpec
				n   int
			}{
				{p256, "ECDSA_SHA_256", 20}, {p256, "ECDSA_SHA_256", 33}, {p256, "ECDSA_SHA_256", 48},
				{rsaSign, "RSASSA_PSS_SHA_384", 32}, {rsaSign, "RSASSA_PKCS1_V1_5_SHA_512", 48},
			} {
				err := call(aws.ToString(tc.k.KeyId), make([]byte, tc.n), types.MessageTypeDigest, tc.alg)
				wantValidation(t, err, "Digest is invalid length for algorithm "+string(tc.alg)+".")
			}
			// Message size: 1 to 4096 bytes. The text is UNVERIFIED (§5.5).
			err := call(aws.ToString(p256.KeyId), make([]byte, 4097), types.MessageTypeRaw, "ECDSA_SHA_256")
			wantValidationContaining(t, err, "at 'message' failed to satisfy constraint", "4096")
			err = call(aws.ToString(p256.KeyId), []byte{}, types.MessageTypeRaw, "ECDSA_SHA_256")
			wantValidationContaining(t, err, "'message'")
			// Enums.
			err = call(aws.ToString(p256.KeyId), []byte("m"), "", "BOGUS")
			enumError("BOGUS", "signingAlgorithm")(t, err)
			err = call(aws.ToString(p256.KeyId), []byte("m"), "BOGUS", "ECDSA_SHA_256")
			enumError("BOGUS", "messageType")(t, err)
		})
	}

	t.Run("4096-byte message is accepted", func(t *testing.T) {
		t.Parallel()
		msg := bytes.Repeat([]byte("x"), 4096)
		s := must(c.Sign(ctx, &kms.SignInput{KeyId: p256.KeyId, Message: msg, SigningAlgorithm: "ECDSA_SHA_256"}))(t)
		must(c.Verify(ctx, &kms.VerifyInput{KeyId: p256.KeyId, Message: msg, Signature: s.Signature, SigningAlgorithm: "ECDSA_SHA_256"}))(t)
	})
	t.Run("DryRun", func(t *testing.T) {
		t.Parallel()
		_, err := c.Sign(ctx, &kms.SignInput{KeyId: p256.KeyId, Message: []byte("m"), SigningAlgorithm: "ECDSA_SHA_256", DryRun: aws.Bool(true)})
		wantErr[*types.DryRunOperationException](t, err, "The request would have succeeded, but the DryRun option is set.")
		_, err = c.Verify(ctx, &kms.VerifyInput{KeyId: p256.KeyId, Message: []byte("state check"), Signature: sig,
			SigningAlgorithm: "ECDSA_SHA_256", DryRun: aws.Bool(true)})
		wantErr[*types.DryRunOperationException](t, err, "The request would have succeeded, but the DryRun option is set.")
	})
	t.Run("GetPublicKey of a key without one", func(t *testing.T) {
		t.Parallel()
		// The text is UNVERIFIED; the code is the model's.
		for _, k := range []*types.KeyMetadata{symmetric, hmac} {
			_, err := getPublicKey(c, aws.ToString(k.KeyId))
			asErr[*types.UnsupportedOperationException](t, err)
		}
	})
	t.Run("GetPublicKey of encryption and key agreement keys", func(t *testing.T) {
		t.Parallel()
		pk := must(getPublicKey(c, aws.ToString(rsaEncrypt.KeyId)))(t)
		parsePublicKey(t, "RSA_2048", pk.PublicKey)
		if pk.KeyUsage != "ENCRYPT_DECRYPT" || len(pk.SigningAlgorithms) != 0 ||
			!sameSet(pk.EncryptionAlgorithms, []types.EncryptionAlgorithmSpec{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}) {
			t.Errorf("GetPublicKey(RSA encrypt) = KeyUsage %s, SigningAlgorithms %v, EncryptionAlgorithms %v",
				pk.KeyUsage, pk.SigningAlgorithms, pk.EncryptionAlgorithms)
		}
		pk = must(getPublicKey(c, aws.ToString(agreement.KeyId)))(t)
		parsePublicKey(t, "ECC_NIST_P256", pk.PublicKey)
		if pk.KeyUsage != "KEY_AGREEMENT" || !sameSet(pk.KeyAgreementAlgorithms, []types.KeyAgreementAlgorithmSpec{"ECDH"}) {
			t.Errorf("GetPublicKey(ECC agreement) = KeyUsage %s, KeyAgreementAlgorithms %v", pk.KeyUsage, pk.KeyAgreementAlgorithms)
		}
	})
	t.Run("signature too long", func(t *testing.T) {
		t.Parallel()
		_, err := c.Verify(ctx, &kms.VerifyInput{KeyId: p256.KeyId, Message: []byte("m"), Signature: make([]byte, 6145), SigningAlgorithm: "ECDSA_SHA_256"})
		wantValidationContaining(t, err, "'signature'")
	})
	t.Run("signature of another key", func(t *testing.T) {
		t.Parallel()
		other := signingKey(t, c)
		_, err := c.Verify(ctx, &kms.VerifyInput{KeyId: other.KeyId, Message: []byte("state check"), Signature: sig, SigningAlgorithm: "ECDSA_SHA_256"})
		wantErr[*types.KMSInvalidSignatureException](t, err, "")
	})
	t.Run("garbage signature", func(t *testing.T) {
		t.Parallel()
		for _, s := range [][]byte{{0x30}, []byte(strings.Repeat("\x00", 64)), sig[:len(sig)-1]} {
			_, err := c.Verify(ctx, &kms.VerifyInput{KeyId: p256.KeyId, Message: []byte("state check"), Signature: s, SigningAlgorithm: "ECDSA_SHA_256"})
			wantErr[*types.KMSInvalidSignatureException](t, err, "")
		}
	})
}
