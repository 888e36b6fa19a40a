package container_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/testcontainers/testcontainers-go"

	"github.com/kms53/kms53/client/container"
)

// TestStartupTime measures container.Run, from its call to its return with the container
// healthy (GET /_kms53/health answered 200, DNS listening), a few times, and reports the figures
// (target: under 1.5 s). The image is built before the clock starts. Timing depends on the
// machine and its Docker, so it is reported, not checked.
func TestStartupTime(t *testing.T) {
	img := image(t)
	const runs = 3
	var took []time.Duration
	for range runs {
		took = append(took, timeRun(t, img))
	}
	slices.Sort(took)
	t.Logf("container.Run to healthy over %d runs: min %v, median %v, max %v (target under 1.5s)",
		runs, took[0].Round(time.Millisecond), took[runs/2].Round(time.Millisecond), took[runs-1].Round(time.Millisecond))
}

// BenchmarkRun is TestStartupTime as a benchmark, with the time to healthy as ms/start:
//
//	TESTCONTAINERS_RYUK_DISABLED=true go test -run '^$' -bench Run -benchtime 5x .
func BenchmarkRun(b *testing.B) {
	img := image(b)
	var total time.Duration
	for b.Loop() {
		total += timeRun(b, img)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/start")
}

// timeRun starts a container of img, returns how long Run took, and terminates it.
func timeRun(tb testing.TB, img string) time.Duration {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	start := time.Now()
	c, err := container.Run(ctx, img)
	took := time.Since(start)
	if c != nil {
		defer func() { require.NoError(tb, testcontainers.TerminateContainer(c)) }()
	}
	require.NoError(tb, err)
	return took
}
