package container_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/testcontainers/testcontainers-go"

	"github.com/kms53/kms53/client/container"
)

// TestWithKMS53 is the README's testcontainers-go example (TestReadmeInSync), run against the
// image the tests build instead of kms53:dev.
func TestWithKMS53(t *testing.T) {
	ctx := t.Context()
	c, err := container.Run(ctx, image(t))
	testcontainers.CleanupContainer(t, c)
	if err != nil {
		t.Fatal(err)
	}
	endpoint, err := c.Endpoint(ctx, "http") // http://127.0.0.1:PORT
	if err != nil {
		t.Fatal(err)
	}
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	client := kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(endpoint) })
	if _, err := client.ListKeys(ctx, &kms.ListKeysInput{}); err != nil {
		t.Fatal(err)
	}
}

// TestReadmeInSync checks that the README shows TestWithKMS53 as it is here, with "kms53:dev" for
// the image the tests run.
func TestReadmeInSync(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	start := strings.Index(s, "func TestWithKMS53(")
	end := start + strings.Index(s[start:], "\n}\n") + 3
	want := strings.Replace(s[start:end], "container.Run(ctx, image(t))", `container.Run(ctx, "kms53:dev")`, 1)
	if !strings.Contains(string(readme), "```go\n"+want+"```\n") {
		t.Errorf("README.md lacks the example of readme_test.go, as a go block:\n%s", want)
	}
}
