// Package scenarios is kms53's catalogue of deterministic scenarios: each shows one way Route 53
// DNSSEC signing with a KMS key works or fails, and what AWS answers. A scenario never takes a
// *testing.T: it returns an error, so the same code runs from go test, from
// `kms53 scenarios`, and against any kms53 endpoint.
package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/smithy-go"
)

// Scenario is one entry of the catalogue.
type Scenario struct {
	// Name identifies the scenario on the command line.
	Name string
	// Doc says in one paragraph what the scenario shows and what AWS answers.
	Doc string
	// Run plays the scenario against env and returns nil when the emulator behaved as AWS does.
	Run func(ctx context.Context, env *Env) error
}

// Result is the outcome of one scenario.
type Result struct {
	Name     string
	Err      error         // nil: PASS
	Shown    string        // the AWS error (or outcome) the scenario showed
	Duration time.Duration // wall time
}

// Passed reports whether the scenario passed.
func (r Result) Passed() bool { return r.Err == nil }

// All returns the catalogue in its order.
func All() []Scenario { return append([]Scenario(nil), catalogue...) }

// Find returns the named scenarios, or an error naming those that do not exist.
func Find(names ...string) ([]Scenario, error) {
	var out []Scenario
	var missing []string
	for _, n := range names {
		found := false
		for _, s := range catalogue {
			if s.Name == n {
				out, found = append(out, s), true
			}
		}
		if !found {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no scenario named %s (see -list)", strings.Join(missing, ", "))
	}
	return out, nil
}

// RunOne resets the emulator and plays s.
func RunOne(ctx context.Context, env *Env, s Scenario) Result {
	start := time.Now()
	env.shown = ""
	env.Stepf("== %s", s.Name)
	err := env.Reset(ctx)
	if err == nil {
		err = s.Run(ctx, env)
	}
	return Result{Name: s.Name, Err: err, Shown: env.shown, Duration: time.Since(start)}
}

// Report writes results as an aligned table: scenario, PASS/FAIL, what it showed, time.
func Report(w io.Writer, results []Result) {
	width := len("SCENARIO")
	for _, r := range results {
		width = max(width, len(r.Name))
	}
	fmt.Fprintf(w, "%-*s  %-4s  %8s  %s\n", width, "SCENARIO", "", "TIME", "SHOWED")
	for _, r := range results {
		status, shown := "PASS", r.Shown
		if !r.Passed() {
			status, shown = "FAIL", r.Err.Error()
		}
		fmt.Fprintf(w, "%-*s  %-4s  %8s  %s\n", width, r.Name, status, r.Duration.Round(time.Millisecond), shown)
	}
}

// errorCode returns the AWS error code of err, or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// errorMessage returns the AWS error message of err.
func errorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return err.Error()
}
