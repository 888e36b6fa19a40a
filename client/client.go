// Package client is what Go tests import to use kms53: SDK configuration for an endpoint, an
// emulator started in-process for one test, a RoundTripper that needs no socket, and helpers
// for what every DNSSEC test does (a KMS key Route 53 can use, recognising access denials).
package client

import (
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"
)

// Option configures AWSConfig.
type Option func(*aws.Config)

// WithRegion sets the region clients sign for (default us-east-1). KMS keys live in the region
// of the client that creates them; Route 53 DNSSEC needs keys in us-east-1.
func WithRegion(region string) Option { return func(c *aws.Config) { c.Region = region } }

// WithCredentials sets static credentials (default "test"/"test", which kms53 maps to the root
// of its default account). A 12-digit access key is the root of that account; access keys of
// identities configured in kms53 select those IAM users and roles.
func WithCredentials(accessKeyID, secretAccessKey string) Option {
	return func(c *aws.Config) {
		c.Credentials = credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, "")
	}
}

// WithRetries sets how many times the SDK tries a request (default 1: no retries, so errors
// surface at once in tests).
func WithRetries(maxAttempts int) Option {
	return func(c *aws.Config) {
		c.RetryMaxAttempts = maxAttempts
		c.Retryer = nil
		if maxAttempts <= 1 {
			c.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
		}
	}
}

// WithHTTPClient sets the HTTP client the SDK uses, for example one whose Transport is
// Transport(handler) to call an emulator in-process.
func WithHTTPClient(hc *http.Client) Option { return func(c *aws.Config) { c.HTTPClient = hc } }

// AWSConfig returns an aws.Config whose clients (KMS, Route 53, ...) all talk to the kms53 at
// endpoint, e.g. "http://127.0.0.1:4566".
func AWSConfig(endpoint string, opts ...Option) aws.Config {
	c := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// IsAccessDenied reports whether err is an AWS access denial: KMS's AccessDeniedException or
// Route 53's AccessDenied.
func IsAccessDenied(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.ErrorCode() == "AccessDeniedException" || ae.ErrorCode() == "AccessDenied"
}
