package main_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"go/format"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kms53/kms53/emulator"
)

// readmeEndpoint is the endpoint the README's Go example names; the test below runs the same
// lines against an in-process emulator under the name endpoint.
const readmeEndpoint = `"http://127.0.0.1:4566"`

// fatalLogger stands in for the log package in TestReadmeExample, so that the example's
// log.Fatal fails the test instead of exiting the test binary.
type fatalLogger struct{ t *testing.T }

func (l fatalLogger) Fatal(v ...any) {
	l.t.Helper()
	l.t.Fatal(v...)
}

// TestReadmeExample runs the README's aws-sdk-go-v2 example against an in-process emulator and
// checks the signature it gets. TestReadmeExampleInSync keeps the lines between the markers
// identical to the README.
func TestReadmeExample(t *testing.T) {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	endpoint := hs.URL
	// Nothing of the user's AWS setup may change what the example does.
	dir := t.TempDir()
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-aws-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-aws-credentials"))
	log := fatalLogger{t}

	// README example: begin
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")))
	if err != nil {
		log.Fatal(err)
	}
	client := kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(endpoint) })
	key, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	if err != nil {
		log.Fatal(err)
	}
	sig, err := client.Sign(ctx, &kms.SignInput{KeyId: key.KeyMetadata.KeyId, Message: []byte("hello"),
		MessageType: types.MessageTypeRaw, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ECDSA signature (DER): %x\n", sig.Signature)
	// README example: end

	pub, err := client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: key.KeyMetadata.KeyId})
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.ParsePKIXPublicKey(pub.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ec, ok := pk.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("public key is a %T, want ECDSA", pk)
	}
	digest := sha256.Sum256([]byte("hello"))
	if !ecdsa.VerifyASN1(ec, digest[:], sig.Signature) {
		t.Error("the example's signature does not verify with the key's public key")
	}
}

// TestReadmeExampleInSync checks that the README's Go example is gofmt-formatted, imports what
// the test imports, and that the body of its main is, line for line, the code between the
// markers of TestReadmeExample (with endpoint for the README's literal address).
func TestReadmeExampleInSync(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_example_test.go")
	if err != nil {
		t.Fatal(err)
	}

	_, after, ok := strings.Cut(string(readme), "\n```go\n")
	if !ok {
		t.Fatal("README.md has no ```go block")
	}
	block, _, ok := strings.Cut(after, "\n```\n")
	if !ok {
		t.Fatal("README.md's ```go block does not end")
	}
	block += "\n"
	if formatted, err := format.Source([]byte(block)); err != nil {
		t.Fatalf("README's Go example does not parse: %v", err)
	} else if !bytes.Equal(formatted, []byte(block)) {
		t.Errorf("README's Go example is not gofmt-formatted; gofmt gives:\n%s", formatted)
	}

	readmeLines := strings.Split(block, "\n")
	imports := between(t, "README import block", readmeLines, "import (", ")")
	body := between(t, "README func main", readmeLines, "func main() {", "}")
	selfLines := strings.Split(string(self), "\n")
	selfImports := between(t, "test import block", selfLines, "import (", ")")
	example := between(t, "test markers", selfLines, "\t// README example: begin", "\t// README example: end")

	for _, imp := range imports {
		// The test's fatalLogger stands in for the log package.
		if strings.TrimSpace(imp) == `"log"` {
			continue
		}
		if !slices.Contains(selfImports, imp) {
			t.Errorf("README imports %s, the test does not", strings.TrimSpace(imp))
		}
	}
	want := make([]string, len(body))
	for i, l := range body {
		want[i] = strings.ReplaceAll(l, readmeEndpoint, "endpoint")
	}
	if strings.Join(want, "\n") != strings.Join(example, "\n") {
		t.Errorf("the README's example and TestReadmeExample differ.\nREADME (endpoint substituted):\n%s\n\ntest:\n%s",
			strings.Join(want, "\n"), strings.Join(example, "\n"))
	}
	if !strings.Contains(block, readmeEndpoint) {
		t.Errorf("README's example does not name %s", readmeEndpoint)
	}
}

// between returns the non-empty lines strictly between the first line equal to start and the
// next line equal to end.
func between(t *testing.T, what string, lines []string, start, end string) []string {
	t.Helper()
	var out []string
	in := false
	for _, l := range lines {
		switch {
		case !in && l == start:
			in = true
		case in && l == end:
			return out
		case in && strings.TrimSpace(l) != "":
			out = append(out, l)
		}
	}
	t.Fatalf("%s: no lines between %q and %q", what, start, end)
	return nil
}
