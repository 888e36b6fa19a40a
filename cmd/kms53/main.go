// Command kms53 serves the kms53 emulator (AWS KMS and Route 53 on one port).
//
//	kms53 [-addr 127.0.0.1:4566] [-dns-addr 127.0.0.1:1053] [-account 111122223333] [-region us-east-1]
//	      [-sigv4 relaxed|strict] [-config FILE]
//	kms53 health [-addr 127.0.0.1:4566]
//	kms53 scenarios [-endpoint URL] [-dns-addr ADDR] [-list] [-v] [NAME...]
//
// "kms53 health" asks a running kms53 for GET /_kms53/health and exits 0 when it answers, 1
// when not: the health check of the container image. "kms53 scenarios" plays the scenario
// catalogue (package scenarios) in-process or against a running kms53.
//
// Every flag can also be set with an environment variable KMS53_<NAME> (KMS53_ADDR, ...); a flag
// on the command line wins over the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "scenarios" {
		if err := runScenarios(ctx, args[1:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "kms53 scenarios:", err)
			os.Exit(1)
		}
		return
	}
	if len(args) > 0 && args[0] == "health" {
		if err := health(ctx, args[1:], os.Getenv, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "kms53 health:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, args, os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kms53:", err)
		os.Exit(1)
	}
}

// config is what the flags and environment set.
type config struct {
	addr       string
	dnsAddr    string
	account    string
	region     string
	sigv4      string
	configPath string
}

// parseFlags reads args, with defaults taken from the environment.
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("kms53", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv("KMS53_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); v != "" {
			return v
		}
		return def
	}
	var c config
	fs.StringVar(&c.addr, "addr", env("addr", "127.0.0.1:4566"), "HTTP listen address for the AWS APIs and the admin API (KMS53_ADDR)")
	fs.StringVar(&c.dnsAddr, "dns-addr", env("dns-addr", "127.0.0.1:1053"), "DNS listen address (UDP and TCP) of the hosted zones; empty: no DNS (KMS53_DNS_ADDR)")
	fs.StringVar(&c.account, "account", env("account", "111122223333"), "default AWS account id (KMS53_ACCOUNT)")
	fs.StringVar(&c.region, "region", env("region", "us-east-1"), "region of requests that name none (KMS53_REGION)")
	fs.StringVar(&c.sigv4, "sigv4", env("sigv4", "relaxed"), "relaxed: read access keys, do not check signatures; strict: verify SigV4 and refuse unknown keys (KMS53_SIGV4)")
	fs.StringVar(&c.configPath, "config", env("config", ""), "YAML file of identities (access keys, principals, IAM policies) (KMS53_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, nil
}

// run serves until ctx is done, then shuts down cleanly.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	c, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	opts := emulator.Options{Account: c.account, Region: c.region, Logger: log, SigV4: c.sigv4}
	if c.configPath != "" {
		data, err := os.ReadFile(c.configPath)
		if err != nil {
			return err
		}
		cfg, err := emulator.ParseConfig(data)
		if err != nil {
			return fmt.Errorf("%s: %w", c.configPath, err)
		}
		opts.Identities = cfg.Identities
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 3)
	go func() { errc <- hs.Serve(ln) }()
	dnsAddr, stopDNS := "off", func() {}
	if c.dnsAddr != "" {
		dnsAddr, stopDNS, err = client.ServeDNS(c.dnsAddr, srv.DNSHandler())
		if err != nil {
			hs.Close()
			return err
		}
	}
	log.Info("kms53 ready", "addr", ln.Addr().String(), "dns", dnsAddr, "account", c.account, "region", c.region, "sigv4", c.sigv4)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stopDNS()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("kms53 stopped")
	return nil
}
