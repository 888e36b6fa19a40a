package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"

	"github.com/kms53/kms53/client"
	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/scenarios"
)

// runScenarios is `kms53 scenarios [-endpoint URL] [-dns-addr ADDR] [-list] [-v] [NAME...]`: it
// plays the catalogue (or the named scenarios) against an in-process emulator, or against the
// kms53 at -endpoint (whose state it resets), prints one line per scenario and fails if any
// scenario fails.
func runScenarios(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kms53 scenarios", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "", "URL of a running kms53 (its state is reset); empty: an in-process emulator")
	dnsAddr := fs.String("dns-addr", "", "DNS address of the kms53 at -endpoint (default: its host, port 1053)")
	list := fs.Bool("list", false, "list the scenarios with what each shows, and exit")
	verbose := fs.Bool("v", false, "print each step and, for denials, the decision that explains them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	chosen := scenarios.All()
	if fs.NArg() > 0 {
		var err error
		if chosen, err = scenarios.Find(fs.Args()...); err != nil {
			return err
		}
	}
	if *list {
		for _, s := range chosen {
			fmt.Fprintf(stdout, "%s\n    %s\n", s.Name, s.Doc)
		}
		return nil
	}

	opts := scenarios.EnvOptions{DNSAddr: *dnsAddr}
	if *verbose {
		opts.Verbose = stdout
	}
	if *endpoint == "" {
		srv, err := emulator.New(emulator.Options{})
		if err != nil {
			return err
		}
		addr, stop, err := client.ServeDNS("127.0.0.1:0", srv.DNSHandler())
		if err != nil {
			return err
		}
		defer stop()
		*endpoint = "http://kms53.in-process"
		opts.HTTPClient = &http.Client{Transport: client.Transport(srv)}
		opts.DNSAddr = addr
	} else if opts.DNSAddr == "" {
		u, err := url.Parse(*endpoint)
		if err != nil {
			return fmt.Errorf("-endpoint: %w", err)
		}
		opts.DNSAddr = net.JoinHostPort(u.Hostname(), "1053")
	}
	env, err := scenarios.NewEnv(ctx, *endpoint, opts)
	if err != nil {
		return err
	}
	var results []scenarios.Result
	failed := 0
	for _, s := range chosen {
		r := scenarios.RunOne(ctx, env, s)
		if !r.Passed() {
			failed++
		}
		results = append(results, r)
	}
	if *verbose {
		fmt.Fprintln(stdout)
	}
	scenarios.Report(stdout, results)
	if failed > 0 {
		return fmt.Errorf("%d of %d scenarios failed", failed, len(results))
	}
	return nil
}
