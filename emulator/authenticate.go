package emulator

import (
	"net/http"

	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// SigV4 modes.
const (
	// SigV4Relaxed reads the access key and region of the SigV4 credential without checking the
	// signature; unknown access keys are the default account's root.
	SigV4Relaxed = "relaxed"
	// SigV4Strict verifies signatures with the identity's secret and refuses unknown access keys.
	SigV4Strict = "strict"
)

// authenticate finds the caller and region of a request from its SigV4 credential.
func (s *Server) authenticate(r *http.Request, body []byte) (auth.Caller, string, *auth.Error) {
	cred, ok := auth.ParseRequest(r)
	strict := s.opts.SigV4 == SigV4Strict
	if !ok {
		if strict {
			if r.Header.Get("Authorization") != "" {
				return auth.Caller{}, "", &auth.Error{Failure: auth.Incomplete, Message: "Authorization header is not a valid AWS Signature Version 4 header."}
			}
			return auth.Caller{}, "", &auth.Error{Failure: auth.MissingToken, Message: "Missing Authentication Token"}
		}
		return auth.Root(s.opts.Account), s.opts.Region, nil
	}
	region := cred.Region
	if region == "" {
		region = s.opts.Region
	}
	caller, secret, known := s.identities.Load().Lookup(cred.AccessKeyID)
	switch {
	case !known && strict:
		return auth.Caller{}, "", &auth.Error{Failure: auth.UnknownKey, Message: auth.InvalidTokenMessage}
	case !known:
		caller = auth.Root(s.opts.Account)
	case strict:
		if err := auth.Verify(r, body, cred, secret, s.Now()); err != nil {
			return auth.Caller{}, "", err.(*auth.Error)
		}
	}
	return caller, region, nil
}

// kmsAuthError maps a refused signature to KMS's JSON error (HTTP 400, AWS-BEHAVIOUR §7.2).
func kmsAuthError(e *auth.Error) *awsproto.Error {
	code := map[auth.Failure]string{
		auth.MissingToken:  "MissingAuthenticationTokenException",
		auth.Incomplete:    "IncompleteSignatureException",
		auth.UnknownKey:    "UnrecognizedClientException",
		auth.BadSignature:  "InvalidSignatureException",
		auth.Expired:       "InvalidSignatureException",
		auth.NotYetCurrent: "InvalidSignatureException",
	}[e.Failure]
	return &awsproto.Error{Code: code, Message: e.Message, Status: http.StatusBadRequest}
}
