package client

import (
	"net/http"
	"net/http/httptest"
)

// Transport returns an http.RoundTripper that serves each request with h in-process: no socket,
// no port. Use it with an *emulator.Server as h:
//
//	cfg := client.AWSConfig("http://kms53.local", client.WithHTTPClient(&http.Client{Transport: client.Transport(srv)}))
func Transport(h http.Handler) http.RoundTripper { return inProcess{h} }

type inProcess struct{ h http.Handler }

// RoundTrip runs the handler on a copy of the request and returns what it wrote.
func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	if r.Body == nil {
		r.Body = http.NoBody
	}
	r.RequestURI = r.URL.RequestURI()
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
