package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kms53/kms53/emulator"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(srv)
	t.Cleanup(up.Close)
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
	t.Cleanup(sick.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	addr := func(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"healthy via flag", []string{"-addr", addr(up)}, nil, ""},
		{"healthy via env", nil, map[string]string{"KMS53_ADDR": addr(up)}, ""},
		{"unspecified address is checked on loopback", []string{"-addr", "0.0.0.0:" + up.URL[strings.LastIndex(up.URL, ":")+1:]}, nil, ""},
		{"unhealthy answer", []string{"-addr", addr(sick)}, nil, "503"},
		{"nothing listening", []string{"-addr", addr(down)}, nil, "connection refused"},
		{"bad address", []string{"-addr", "nonsense"}, nil, "missing port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			err := health(context.Background(), tt.args, envOf(tt.env), &stderr)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("health(%q) = %v, want error containing %q", tt.args, err, tt.wantErr)
			}
		})
	}
}
