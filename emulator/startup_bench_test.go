package emulator_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kms53/kms53/emulator"
)

// BenchmarkStartup is the in-process start: emulator.New with the zero Options and the first
// request, GET /_kms53/health, through the handler with no socket. The target is under 1 ms/op:
//
//	go test -run '^$' -bench Startup -benchmem ./emulator/
func BenchmarkStartup(b *testing.B) {
	req := httptest.NewRequest(http.MethodGet, "/_kms53/health", nil)
	for b.Loop() {
		srv, err := emulator.New(emulator.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET /_kms53/health = %d %s, want 200", rec.Code, rec.Body)
		}
	}
}
