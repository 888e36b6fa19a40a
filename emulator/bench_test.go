package emulator_test

// Benchmarks of the emulator's hot operations through the real aws-sdk-go-v2 KMS client over
// loopback, and BenchmarkSignBaseline: the same client against a bare handler that does only what
// any Sign answer must (decode, hash, ECDSA, encode). The emulator's Sign should reach at least
// 80% of the baseline's throughput:
//
//	go test -run '^$' -bench 'Sign|Verify|DescribeKey' -cpu 1,2 -count 5 ./emulator/

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kmssdk "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/emulator/auth"
)

// benchMessage is the message every Sign and Verify benchmark signs: 256 bytes, RAW.
var benchMessage = func() []byte {
	m := make([]byte, 256)
	for i := range m {
		m[i] = byte('a' + i%26)
	}
	return m
}()

// benchClient returns an SDK KMS client for the server at url: static credentials, us-east-1,
// no retries.
func benchClient(url string) *kmssdk.Client {
	return kmssdk.New(kmssdk.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAKMS53BENCHMARK00", "bench-secret", ""),
		BaseEndpoint: aws.String(url),
		Retryer:      aws.NopRetryer{},
	})
}

// benchServe serves h on a loopback httptest server closed when b ends, and returns a client of it.
func benchServe(b *testing.B, h http.Handler) *kmssdk.Client {
	b.Helper()
	ts := httptest.NewServer(h)
	b.Cleanup(ts.Close)
	return benchClient(ts.URL)
}

// benchEmulator starts an emulator and creates an ECC_NIST_P256 SIGN_VERIFY key in it.
func benchEmulator(b *testing.B) (*kmssdk.Client, string) {
	b.Helper()
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		b.Fatal(err)
	}
	c := benchServe(b, srv)
	out, err := c.CreateKey(context.Background(), &kmssdk.CreateKeyInput{
		KeySpec:  types.KeySpecEccNistP256,
		KeyUsage: types.KeyUsageTypeSignVerify,
	})
	if err != nil {
		b.Fatal(err)
	}
	return c, aws.ToString(out.KeyMetadata.KeyId)
}

// benchSignInput is the Sign request every Sign benchmark sends.
func benchSignInput(keyID string) *kmssdk.SignInput {
	return &kmssdk.SignInput{
		KeyId:            aws.String(keyID),
		Message:          benchMessage,
		MessageType:      types.MessageTypeRaw,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	}
}

// benchParallel runs call from GOMAXPROCS goroutines (so -cpu 1,2 matters) and reports ops/s.
func benchParallel(b *testing.B, call func(context.Context) error) {
	b.Helper()
	ctx := context.Background()
	// Warm the connection pool and fail fast on a broken setup.
	if err := call(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := call(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "ops/s")
	}
}

func BenchmarkSign(b *testing.B) {
	c, keyID := benchEmulator(b)
	in := benchSignInput(keyID)
	benchParallel(b, func(ctx context.Context) error {
		_, err := c.Sign(ctx, in)
		return err
	})
}

func BenchmarkVerify(b *testing.B) {
	c, keyID := benchEmulator(b)
	sig, err := c.Sign(context.Background(), benchSignInput(keyID))
	if err != nil {
		b.Fatal(err)
	}
	in := &kmssdk.VerifyInput{
		KeyId:            aws.String(keyID),
		Message:          benchMessage,
		MessageType:      types.MessageTypeRaw,
		Signature:        sig.Signature,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	}
	benchParallel(b, func(ctx context.Context) error {
		out, err := c.Verify(ctx, in)
		if err == nil && !out.SignatureValid {
			b.Error("Verify: SignatureValid is false")
		}
		return err
	})
}

func BenchmarkDescribeKey(b *testing.B) {
	c, keyID := benchEmulator(b)
	in := &kmssdk.DescribeKeyInput{KeyId: aws.String(keyID)}
	benchParallel(b, func(ctx context.Context) error {
		_, err := c.DescribeKey(ctx, in)
		return err
	})
}

// BenchmarkSignBaseline is the floor of any Sign over this transport and client: a handler that
// decodes the request, hashes and signs with a pre-generated P-256 key, and encodes the answer.
func BenchmarkSignBaseline(b *testing.B) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	c := benchServe(b, benchBaselineHandler(key))
	in := benchSignInput("11111111-2222-4333-8444-555555555555")
	benchParallel(b, func(ctx context.Context) error {
		_, err := c.Sign(ctx, in)
		return err
	})
}

// benchBaselineHandler answers TrentService.Sign and nothing else, with no validation, routing,
// key lookup or request ids.
func benchBaselineHandler(key *ecdsa.PrivateKey) http.Handler {
	type signRequest struct {
		KeyID            string `json:"KeyId"`
		Message          []byte `json:"Message"`
		MessageType      string `json:"MessageType"`
		SigningAlgorithm string `json:"SigningAlgorithm"`
	}
	type signResponse struct {
		KeyID            string `json:"KeyId"`
		Signature        []byte `json:"Signature"`
		SigningAlgorithm string `json:"SigningAlgorithm"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in signRequest
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		digest := sha256.Sum256(in.Message)
		sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body, err := json.Marshal(signResponse{KeyID: in.KeyID, Signature: sig, SigningAlgorithm: in.SigningAlgorithm})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write(body)
	})
}

// BenchmarkSignEnforcement measures what authorization costs Sign: the same request, from an IAM
// user allowed through the key policy of AWS-BEHAVIOUR §6.2 (delegating to IAM) and its identity
// policy, with enforcement on, and with Options.AllowAll. The target is a cost under 10%:
//
//	go test -run '^$' -bench SignEnforcement -cpu 1 -count 5 ./emulator/
func BenchmarkSignEnforcement(b *testing.B) {
	policy := `{"Version":"2012-10-17","Statement":[
	 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
	 {"Sid":"Allow Route 53 DNSSEC Service","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},
	  "Action":["kms:DescribeKey","kms:GetPublicKey","kms:Sign"],"Resource":"*",
	  "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:route53:::hostedzone/*"}}},
	 {"Sid":"Allow Route 53 DNSSEC to CreateGrant","Effect":"Allow","Principal":{"Service":"dnssec-route53.amazonaws.com"},
	  "Action":["kms:CreateGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":true}}}]}`
	for _, mode := range []struct {
		name     string
		allowAll bool
	}{{"enforced", false}, {"allow-all", true}} {
		b.Run(mode.name, func(b *testing.B) {
			srv, err := emulator.New(emulator.Options{AllowAll: mode.allowAll, Identities: []auth.Identity{{
				AccessKeyID: "AKIAKMS53BENCHMARK00", SecretAccessKey: "bench-secret", ARN: "arn:aws:iam::111122223333:user/signer",
				Policies: []auth.IdentityPolicy{{Name: "sign", Document: `{"Statement":[{"Effect":"Allow","Action":["kms:CreateKey","kms:Sign"],"Resource":"*"}]}`}},
			}}})
			if err != nil {
				b.Fatal(err)
			}
			c := benchServe(b, srv)
			out, err := c.CreateKey(context.Background(), &kmssdk.CreateKeyInput{KeySpec: types.KeySpecEccNistP256,
				KeyUsage: types.KeyUsageTypeSignVerify, Policy: aws.String(policy), BypassPolicyLockoutSafetyCheck: true})
			if err != nil {
				b.Fatal(err)
			}
			in := benchSignInput(aws.ToString(out.KeyMetadata.KeyId))
			benchParallel(b, func(ctx context.Context) error {
				_, err := c.Sign(ctx, in)
				return err
			})
		})
	}
}
