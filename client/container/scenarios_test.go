package container_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kms53/kms53/scenarios"
)

// TestScenarios plays the whole scenario catalogue (the happy path, every refusal) against the
// container, the third host of the emulator after in-process and the binary.
func TestScenarios(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	c := run(t, ctx)
	endpoint, err := c.Endpoint(ctx, "http")
	require.NoError(t, err)
	dnsAddr, err := c.DNSAddress(ctx)
	require.NoError(t, err)
	env, err := scenarios.NewEnv(ctx, endpoint, scenarios.EnvOptions{DNSAddr: dnsAddr})
	require.NoError(t, err)

	var results []scenarios.Result
	for _, s := range scenarios.All() {
		r := scenarios.RunOne(ctx, env, s)
		results = append(results, r)
		if !r.Passed() {
			t.Errorf("%s: FAIL: %v", s.Name, r.Err)
		}
	}
	var report strings.Builder
	scenarios.Report(&report, results)
	t.Logf("scenarios against %s (DNS %s):\n%s", endpoint, dnsAddr, report.String())
}
