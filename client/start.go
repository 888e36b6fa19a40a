package client

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/kms53/kms53/emulator"
)

// Emulator is a kms53 started for one test: an HTTP server on loopback for the AWS APIs and a
// DNS server (UDP and TCP) for the hosted zones. Start's tb closes both when the test ends.
type Emulator struct {
	// Server is the emulator itself, for in-process control (clock, state).
	Server *emulator.Server
	// URL is the endpoint of the AWS APIs, e.g. "http://127.0.0.1:41234".
	URL string
	// DNSAddr is the address of the DNS server, e.g. "127.0.0.1:41235" (UDP and TCP).
	DNSAddr string
}

// Start starts an emulator for the test or benchmark tb, with opts (the zero value works). It
// fails tb if the emulator cannot start, and stops it in tb.Cleanup.
func Start(tb testing.TB, opts emulator.Options) *Emulator {
	tb.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		tb.Fatalf("kms53: %v", err)
	}
	hs := httptest.NewServer(srv)
	tb.Cleanup(hs.Close)
	e := &Emulator{Server: srv, URL: hs.URL}
	addr, stop, err := ServeDNS("127.0.0.1:0", srv.DNSHandler())
	if err != nil {
		tb.Fatalf("kms53: DNS: %v", err)
	}
	tb.Cleanup(stop)
	e.DNSAddr = addr
	return e
}

// AWSConfig returns an aws.Config for this emulator (see the package-level AWSConfig).
func (e *Emulator) AWSConfig(opts ...Option) aws.Config { return AWSConfig(e.URL, opts...) }

// KMS returns a KMS client of the default account in us-east-1.
func (e *Emulator) KMS(opts ...Option) *kms.Client { return kms.NewFromConfig(e.AWSConfig(opts...)) }

// Route53 returns a Route 53 client of the default account.
func (e *Emulator) Route53(opts ...Option) *route53.Client {
	return route53.NewFromConfig(e.AWSConfig(opts...))
}

// Advance moves the emulator's clock forward.
func (e *Emulator) Advance(d time.Duration) { e.Server.Advance(d) }

// Reset removes all state: keys, aliases, grants, zones.
func (e *Emulator) Reset() { e.Server.Reset() }
