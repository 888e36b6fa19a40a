package emulator_test

// FuzzKMS sends arbitrary X-Amz-Target values and bodies to the KMS endpoint and checks the
// protocol invariants every answer must keep: no panic, no 5xx, a JSON body, and for errors a
// non-empty "__type" equal to the X-Amzn-ErrorType header.
//
//	go test -run '^$' -fuzz FuzzKMS -fuzztime 5m ./emulator/

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kms53/kms53/emulator"
	"github.com/kms53/kms53/emulator/kms"
)

// fuzzRand is an emulator's identifier source: a ChaCha8 stream that can be rewound, so that the
// fixture keys get the same ids in every fuzz process and after every reset.
type fuzzRand struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func (f *fuzzRand) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.r.Read(p)
}

func (f *fuzzRand) rewind() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.r = rand.NewChaCha8(fuzzSeed)
}

var fuzzSeed = [32]byte{'k', 'm', 's', '5', '3', '-', 'f', 'u', 'z', 'z'}

// fuzzEnv is one emulator with the fixture in it.
type fuzzEnv struct {
	srv *emulator.Server
	rnd *fuzzRand
}

// fuzzIDs names the fixture of an environment.
type fuzzIDs struct {
	p256       string // ECC_NIST_P256 SIGN_VERIFY key id, target of fuzzAlias and of a grant
	victim     string // ECC_NIST_P256 SIGN_VERIFY key with a tag, for the state-changing seeds
	sym        string // SYMMETRIC_DEFAULT key id
	grantID    string // the grant on p256
	grantToken string
	rsa        string // RSA_2048 SIGN_VERIFY key id (shared environment only)
	p256Sig    []byte // a valid ECDSA_SHA_256 signature of fuzzMessage by p256 (shared only)
	rsaSig     []byte // a valid RSASSA_PSS_SHA_256 signature of fuzzMessage by rsa (shared only)
}

// fuzzFixture is what a fuzz process builds once.
//
// The fuzzer needs an input's outcome to depend on the input alone: an input that found new
// coverage only because of state left by earlier inputs cannot be minimized, and the fuzzer
// then spends its whole minimization budget (60s) on it. So inputs that cannot change state
// (Describe, Get, List, Sign, Verify, unknown operations) run against one long-lived emulator,
// shared, which holds the expensive RSA_2048 key; inputs to operations that can change state run
// against scratch, which is reset to the same cheap fixture (no RSA key) before each of them.
type fuzzFixture struct {
	shared, scratch *fuzzEnv
	ids, sids       fuzzIDs // the fixture of shared and of scratch
}

const (
	fuzzMessage = "kms53 fuzz message"
	fuzzAlias   = "alias/fuzz-p256"
	fuzzGrantee = "arn:aws:iam::111122223333:role/fuzz-grantee"
)

var (
	fuzzOnce sync.Once
	fuzzFix  *fuzzFixture
	fuzzErr  error
)

// fuzzSetup returns the process's fixture, creating it on first use.
func fuzzSetup(tb testing.TB) *fuzzFixture {
	tb.Helper()
	fuzzOnce.Do(func() {
		fx := &fuzzFixture{}
		if fx.shared, fuzzErr = newFuzzEnv(); fuzzErr != nil {
			return
		}
		if fx.ids, fuzzErr = fx.shared.populate(true); fuzzErr != nil {
			return
		}
		if fx.scratch, fuzzErr = newFuzzEnv(); fuzzErr != nil {
			return
		}
		if fx.sids, fuzzErr = fx.scratch.populate(false); fuzzErr != nil {
			return
		}
		fuzzFix = fx
	})
	if fuzzErr != nil {
		tb.Fatalf("fuzz fixture: %v", fuzzErr)
	}
	return fuzzFix
}

func newFuzzEnv() (*fuzzEnv, error) {
	e := &fuzzEnv{rnd: &fuzzRand{}}
	e.rnd.rewind()
	epoch := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := emulator.New(emulator.Options{Rand: e.rnd, Clock: func() time.Time { return epoch }})
	e.srv = srv
	return e, err
}

// reset empties the environment and creates the cheap fixture again, with the same ids.
func (e *fuzzEnv) reset() (fuzzIDs, error) {
	e.srv.Reset()
	e.rnd.rewind()
	return e.populate(false)
}

// populate creates the fixture in an empty environment: keys, an alias and a grant and, withRSA,
// an RSA_2048 key and signatures. Every id, grant ids included, comes from the rewound ID source,
// so they are the same every time (key material stays random).
func (e *fuzzEnv) populate(withRSA bool) (fuzzIDs, error) {
	var ids fuzzIDs
	var err error
	create := func(body string) string {
		if err != nil {
			return ""
		}
		var out struct {
			KeyMetadata struct {
				KeyID string `json:"KeyId"`
			}
		}
		err = e.call("CreateKey", body, &out)
		return out.KeyMetadata.KeyID
	}
	sign := func(keyID, alg string) []byte {
		if err != nil {
			return nil
		}
		var out struct{ Signature []byte }
		err = e.call("Sign", fuzzJSON(map[string]any{"KeyId": keyID, "Message": []byte(fuzzMessage),
			"MessageType": "RAW", "SigningAlgorithm": alg}), &out)
		return out.Signature
	}
	ids.p256 = create(`{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY","Description":"fuzz p256"}`)
	ids.victim = create(`{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY","Tags":[{"TagKey":"k","TagValue":"v"}]}`)
	ids.sym = create(`{}`)
	if err == nil {
		err = e.call("CreateAlias", fuzzJSON(map[string]any{"AliasName": fuzzAlias, "TargetKeyId": ids.p256}), nil)
	}
	if err != nil {
		return ids, err
	}
	// The grant is optional: if the emulator refuses it, the seeds name a well-formed grant id.
	var grant struct{ GrantID, GrantToken string }
	ids.grantID, ids.grantToken = strings.Repeat("0", 64), "AQpAfuzz"
	if e.call("CreateGrant", fuzzJSON(map[string]any{"KeyId": ids.p256, "Name": "fuzz",
		"GranteePrincipal": fuzzGrantee, "RetiringPrincipal": fuzzGrantee,
		"Operations": []string{"Sign", "Verify", "DescribeKey", "RetireGrant"}}), &grant) == nil {
		ids.grantID, ids.grantToken = grant.GrantID, grant.GrantToken
	}
	if withRSA {
		ids.rsa = create(`{"KeySpec":"RSA_2048","KeyUsage":"SIGN_VERIFY"}`)
		ids.p256Sig = sign(ids.p256, "ECDSA_SHA_256")
		ids.rsaSig = sign(ids.rsa, "RSASSA_PSS_SHA_256")
	}
	return ids, err
}

// call runs one fixture request and decodes its answer into out.
func (e *fuzzEnv) call(op, body string, out any) error {
	rec := fuzzDo(e.srv, kms.TargetPrefix+op, []byte(body))
	if rec.Code != http.StatusOK {
		return &fuzzCallError{op, rec.Code, rec.Body.String()}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(rec.Body.Bytes(), out)
}

type fuzzCallError struct {
	op     string
	status int
	body   string
}

func (e *fuzzCallError) Error() string {
	return e.op + ": HTTP " + http.StatusText(e.status) + ": " + e.body
}

// fuzzReadOnly are the operations that do not change an emulator's state, including ones kms53
// may implement later.
var fuzzReadOnly = map[string]bool{
	"DescribeKey": true, "GetPublicKey": true, "GetKeyPolicy": true, "GetKeyRotationStatus": true,
	"ListKeys": true, "ListAliases": true, "ListKeyPolicies": true, "ListResourceTags": true,
	"ListGrants": true, "ListRetirableGrants": true, "ListKeyRotations": true,
	"Sign": true, "Verify": true, "Encrypt": true, "Decrypt": true, "ReEncrypt": true,
	"GenerateDataKey": true, "GenerateDataKeyWithoutPlaintext": true, "GenerateDataKeyPair": true,
	"GenerateDataKeyPairWithoutPlaintext": true, "GenerateMac": true, "VerifyMac": true,
	"GenerateRandom": true, "DeriveSharedSecret": true,
}

// fuzzChangesState reports whether target names an operation that may change state: every
// operation the emulator implements that is not known to be read-only.
func fuzzChangesState(target string) bool {
	name, ok := strings.CutPrefix(target, kms.TargetPrefix)
	return ok && !fuzzReadOnly[name] && slices.Contains(kms.Operations(), name)
}

// fuzzDo sends one KMS request to h in-process.
func fuzzDo(h http.Handler, target string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func fuzzJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// fuzzExpensiveKey reports whether a CreateKey body asks for an RSA key larger than 2048 bits,
// whose generation would take the fuzzer's time. It decodes as the emulator does (encoding/json:
// case-insensitive names, escapes, last duplicate wins).
func fuzzExpensiveKey(body []byte) bool {
	var in struct {
		KeySpec               any
		CustomerMasterKeySpec any
	}
	if json.Unmarshal(body, &in) != nil {
		// The emulator refuses what encoding/json cannot decode; only a plain mention is costly.
		return bytes.Contains(body, []byte("RSA_3072")) || bytes.Contains(body, []byte("RSA_4096"))
	}
	for _, v := range []any{in.KeySpec, in.CustomerMasterKeySpec} {
		if s, ok := v.(string); ok && (s == "RSA_3072" || s == "RSA_4096") {
			return true
		}
	}
	return false
}

// fuzzSeeds returns valid and invalid requests for every operation, naming the fixture fx.
func fuzzSeeds(fx fuzzIDs) map[string][]string {
	msg := base64.StdEncoding.EncodeToString([]byte(fuzzMessage))
	p256ARN := "arn:aws:kms:us-east-1:111122223333:key/" + fx.p256
	j := fuzzJSON
	return map[string][]string{
		"CreateKey": {
			`{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"}`,
			`{}`,
			`{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC","Description":"d","Tags":[{"TagKey":"a","TagValue":"b"}]}`,
			`{"KeySpec":"ECC_NIST_P384","KeyUsage":"SIGN_VERIFY","MultiRegion":true}`,
			`{"CustomerMasterKeySpec":"ECC_NIST_P521","KeyUsage":"SIGN_VERIFY","Origin":"AWS_KMS"}`,
			`{"KeySpec":"ECC_NIST_P256","KeyUsage":"KEY_AGREEMENT","Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"}`,
			`{"KeySpec":"ECC_SECG_P256K1","KeyUsage":"SIGN_VERIFY"}`,
			`{"KeySpec":"ECC_NIST_P256"}`,
			`{"KeyUsage":"SIGN_VERIFY"}`,
			`{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY","Tags":[{"TagKey":"aws:x","TagValue":"v"}]}`,
			`{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY","Tags":[{"TagKey":"a"},{"TagValue":null}]}`,
			`{"Policy":""}`,
			`{"Policy":"{}"}`,
			`{"Origin":"EXTERNAL"}`,
			`{"CustomKeyStoreId":"cks-1234567890abcdef0","XksKeyId":"x"}`,
			`{"KeySpec":1}`,
			`{"Description":null,"Policy":null,"Tags":null}`,
		},
		"Sign": {
			j(map[string]any{"KeyId": fx.p256, "Message": msg, "MessageType": "RAW", "SigningAlgorithm": "ECDSA_SHA_256"}),
			j(map[string]any{"KeyId": fuzzAlias, "Message": msg, "SigningAlgorithm": "ECDSA_SHA_256", "GrantTokens": []string{"t"}}),
			j(map[string]any{"KeyId": p256ARN, "Message": base64.StdEncoding.EncodeToString(make([]byte, 32)), "MessageType": "DIGEST", "SigningAlgorithm": "ECDSA_SHA_256"}),
			j(map[string]any{"KeyId": fx.rsa, "Message": msg, "MessageType": "RAW", "SigningAlgorithm": "RSASSA_PSS_SHA_256"}),
			j(map[string]any{"KeyId": fx.rsa, "Message": msg, "MessageType": "RAW", "SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_512", "DryRun": true}),
			j(map[string]any{"KeyId": fx.p256, "Message": msg, "MessageType": "EXTERNAL_MU", "SigningAlgorithm": "ECDSA_SHA_256"}),
			j(map[string]any{"KeyId": fx.sym, "Message": msg, "SigningAlgorithm": "ECDSA_SHA_256"}),
			`{"KeyId":"` + fx.p256 + `","Message":"not base64!","SigningAlgorithm":"ECDSA_SHA_256"}`,
			`{"KeyId":"` + fx.p256 + `","Message":"","SigningAlgorithm":"ECDSA_SHA_256"}`,
			`{"KeyId":"` + fx.p256 + `","Message":null,"SigningAlgorithm":"ECDSA_SHA_256"}`,
			`{"KeyId":"` + fx.p256 + `","Message":[1,2,3],"SigningAlgorithm":"ECDSA_SHA_256"}`,
		},
		"Verify": {
			j(map[string]any{"KeyId": fx.p256, "Message": msg, "MessageType": "RAW", "Signature": fx.p256Sig, "SigningAlgorithm": "ECDSA_SHA_256"}),
			j(map[string]any{"KeyId": fx.rsa, "Message": msg, "Signature": fx.rsaSig, "SigningAlgorithm": "RSASSA_PSS_SHA_256"}),
			j(map[string]any{"KeyId": fx.rsa, "Message": msg, "Signature": fx.rsaSig, "SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_256"}),
			j(map[string]any{"KeyId": fx.p256, "Message": msg, "Signature": []byte{0x30, 0x00}, "SigningAlgorithm": "ECDSA_SHA_256"}),
			j(map[string]any{"KeyId": fx.p256, "Message": msg, "SigningAlgorithm": "ECDSA_SHA_256"}),
		},
		"DescribeKey": {
			j(map[string]any{"KeyId": fx.p256}),
			j(map[string]any{"KeyId": fuzzAlias}),
			j(map[string]any{"KeyId": p256ARN}),
			j(map[string]any{"KeyId": "arn:aws:kms:us-east-1:111122223333:alias/fuzz-p256"}),
			j(map[string]any{"KeyId": "arn:aws:kms:eu-west-1:111122223333:key/" + fx.p256}),
			j(map[string]any{"KeyId": "mrk-0123456789abcdef0123456789abcdef"}),
			j(map[string]any{"KeyId": fx.sym, "GrantTokens": []string{""}}),
			`{"KeyId":""}`,
			`{"KeyId":null}`,
			`{"keyid":"` + fx.p256 + `"}`,
		},
		"GetPublicKey": {
			j(map[string]any{"KeyId": fx.p256}),
			j(map[string]any{"KeyId": fx.rsa, "GrantTokens": []string{"a", "b"}}),
			j(map[string]any{"KeyId": fx.sym}),
		},
		"ListKeys": {
			`{}`,
			`{"Limit":1}`,
			`{"Limit":2,"Marker":"YWJj"}`,
			`{"Limit":0}`,
			`{"Limit":1001}`,
			`{"Limit":99999999999999999999999}`,
			`{"Limit":1.5}`,
			`{"Limit":-1e309}`,
			`{"Marker":"!!!"}`,
		},
		"ListAliases": {
			`{}`,
			j(map[string]any{"KeyId": fx.p256, "Limit": 10}),
			`{"Limit":1,"Marker":"YWxpYXMvZnV6ei1wMjU2"}`,
		},
		"ListKeyPolicies": {
			j(map[string]any{"KeyId": fx.p256}),
			j(map[string]any{"KeyId": fx.p256, "Limit": 1, "Marker": "ZGVmYXVsdA"}),
		},
		"ListResourceTags": {
			j(map[string]any{"KeyId": fx.victim}),
			j(map[string]any{"KeyId": fx.victim, "Limit": 1, "Marker": "aw"}),
		},
		"GetKeyPolicy": {
			j(map[string]any{"KeyId": fx.p256, "PolicyName": "default"}),
			j(map[string]any{"KeyId": fx.p256}),
			j(map[string]any{"KeyId": fx.p256, "PolicyName": "other"}),
		},
		"PutKeyPolicy": {
			j(map[string]any{"KeyId": fx.victim, "PolicyName": "default", "Policy": `{"Version":"2012-10-17","Statement":[{"Sid":"s","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}]}`}),
			j(map[string]any{"KeyId": fx.victim, "Policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root"]},"NotAction":["kms:Sign","kms:Verify"],"Resource":"*"}]}`, "BypassPolicyLockoutSafetyCheck": true}),
			j(map[string]any{"KeyId": fx.victim, "Policy": `{"Statement":[{"Effect":"Allow","Action":"kms:*"}]}`}),
			j(map[string]any{"KeyId": fx.victim, "Policy": `not json`}),
		},
		"CreateAlias": {
			j(map[string]any{"AliasName": "alias/fuzz-new", "TargetKeyId": fx.victim}),
			j(map[string]any{"AliasName": fuzzAlias, "TargetKeyId": fx.p256}),
			j(map[string]any{"AliasName": "alias/aws/reserved", "TargetKeyId": fx.p256}),
			j(map[string]any{"AliasName": "no-prefix", "TargetKeyId": fx.p256}),
			j(map[string]any{"AliasName": "alias/bad chars", "TargetKeyId": fx.p256}),
		},
		"UpdateAlias": {
			j(map[string]any{"AliasName": fuzzAlias, "TargetKeyId": fx.victim}),
			j(map[string]any{"AliasName": fuzzAlias, "TargetKeyId": fx.sym}),
		},
		"DeleteAlias": {
			j(map[string]any{"AliasName": "alias/fuzz-missing"}),
			`{"AliasName":""}`,
		},
		"DisableKey":  {j(map[string]any{"KeyId": fx.victim})},
		"EnableKey":   {j(map[string]any{"KeyId": fx.victim})},
		"TagResource": {j(map[string]any{"KeyId": fx.victim, "Tags": []map[string]string{{"TagKey": "x", "TagValue": "y"}}}), j(map[string]any{"KeyId": fx.victim, "Tags": []any{}})},
		"UntagResource": {
			j(map[string]any{"KeyId": fx.victim, "TagKeys": []string{"x"}}),
			j(map[string]any{"KeyId": fx.victim, "TagKeys": []string{""}}),
		},
		"UpdateKeyDescription": {
			j(map[string]any{"KeyId": fx.victim, "Description": "new"}),
			j(map[string]any{"KeyId": fx.victim}),
		},
		"ScheduleKeyDeletion": {
			j(map[string]any{"KeyId": fx.victim, "PendingWindowInDays": 7}),
			j(map[string]any{"KeyId": fx.victim, "PendingWindowInDays": 31}),
			j(map[string]any{"KeyId": fx.victim}),
		},
		"CancelKeyDeletion": {j(map[string]any{"KeyId": fx.victim})},
		"CreateGrant": {
			j(map[string]any{"KeyId": fx.victim, "GranteePrincipal": fuzzGrantee, "Operations": []string{"Sign"}}),
			j(map[string]any{"KeyId": fx.sym, "GranteePrincipal": "arn:aws:iam::111122223333:user/u", "RetiringPrincipal": fuzzGrantee,
				"Operations": []string{"Encrypt", "Decrypt", "GenerateDataKey"}, "Name": "n", "GrantTokens": []string{fx.grantToken},
				"Constraints": map[string]any{"EncryptionContextSubset": map[string]string{"a": "b"}}}),
			j(map[string]any{"KeyId": fx.victim, "GranteeServicePrincipal": "dnssec-route53.amazonaws.com", "RetiringServicePrincipal": "dnssec-route53.amazonaws.com", "Operations": []string{"Sign", "GetPublicKey"},
				"Constraints": map[string]any{"EncryptionContextEquals": map[string]string{}, "SourceArn": "arn:aws:route53:::hostedzone/Z1"}}),
			j(map[string]any{"KeyId": fx.victim, "GranteePrincipal": fuzzGrantee, "Operations": []string{"Sign"}, "DryRun": true}),
			j(map[string]any{"KeyId": fx.victim, "GranteePrincipal": "*", "Operations": []string{"CreateGrant", "Nope"}}),
			j(map[string]any{"KeyId": fx.victim, "GranteePrincipal": fuzzGrantee, "Operations": []string{}}),
		},
		"ListGrants": {
			j(map[string]any{"KeyId": fx.p256}),
			j(map[string]any{"KeyId": fx.p256, "GrantId": fx.grantID, "GranteePrincipal": fuzzGrantee, "Limit": 1}),
			j(map[string]any{"KeyId": fx.p256, "Marker": "bm9wZQ", "Limit": 100}),
		},
		"ListRetirableGrants": {
			j(map[string]any{"RetiringPrincipal": fuzzGrantee}),
			j(map[string]any{"RetiringPrincipal": "111122223333", "Limit": 1, "Marker": "eA"}),
		},
		"RetireGrant": {
			j(map[string]any{"GrantToken": fx.grantToken}),
			j(map[string]any{"KeyId": p256ARN, "GrantId": fx.grantID}),
			j(map[string]any{"KeyId": fx.p256, "GrantId": fx.grantID, "DryRun": true}),
			`{}`,
		},
		"RevokeGrant": {
			j(map[string]any{"KeyId": fx.p256, "GrantId": fx.grantID}),
			j(map[string]any{"KeyId": fx.p256, "GrantId": strings.Repeat("f", 64), "DryRun": true}),
		},
	}
}

// fuzzMalformed are bodies every operation must refuse cleanly.
var fuzzMalformed = []string{
	``,
	`{`,
	`}`,
	`null`,
	`[]`,
	`[{"KeyId":"x"}]`,
	`"KeyId"`,
	`123`,
	`{"KeyId":123}`,
	`{"KeyId":true}`,
	`{"KeyId":{"a":1}}`,
	`{"KeyId":["a"]}`,
	`{"Unknown":1}`,
	`{"KeyId":"a"} {"KeyId":"b"}`,
	`{"KeyId":"a"}garbage`,
	`{"KeyId":"\ud800"}`,
	`{"KeyId":"` + strings.Repeat("k", 3000) + `"}`,
	`{"Limit":1e999}`,
	`{"Limit":-0}`,
	`{"GrantTokens":null,"KeyId":null}`,
	"{\"KeyId\":\"\x00\xff\"}",
	"\xef\xbb\xbf{}",
}

func FuzzKMS(f *testing.F) {
	fx := fuzzSetup(f)
	shared, scratch := fuzzSeeds(fx.ids), fuzzSeeds(fx.sids)
	ops := kms.Operations()
	slices.Sort(ops)
	for _, op := range ops {
		seeds, ids := shared, fx.ids
		if fuzzChangesState(kms.TargetPrefix + op) {
			seeds, ids = scratch, fx.sids
		}
		bodies := seeds[op]
		if len(bodies) == 0 {
			// An operation added since these seeds were written still gets a start.
			bodies = []string{fuzzJSON(map[string]any{"KeyId": ids.p256})}
		}
		for _, b := range bodies {
			f.Add(kms.TargetPrefix+op, []byte(b))
		}
	}
	for i, b := range fuzzMalformed {
		ops := []string{"Sign", "CreateKey", "ListKeys", "DescribeKey"}
		f.Add(kms.TargetPrefix+ops[i%len(ops)], []byte(b))
	}
	f.Add("", []byte(`{}`))
	f.Add("TrentService.", []byte(`{}`))
	f.Add("TrentService.Nope", []byte(`{}`))
	f.Add("trentservice.DescribeKey", []byte(`{}`))
	f.Add("Route53.ListHostedZones", []byte(`{}`))
	f.Add("TrentService.CreateKey ", []byte(`{}`))

	f.Fuzz(func(t *testing.T, target string, body []byte) {
		if target == kms.TargetPrefix+"CreateKey" && fuzzExpensiveKey(body) {
			t.Skip("RSA_3072 and RSA_4096 key generation is too slow to fuzz")
		}
		fx := fuzzSetup(t)
		env := fx.shared
		if fuzzChangesState(target) {
			env = fx.scratch
			if _, err := env.reset(); err != nil {
				t.Fatalf("fuzz fixture reset: %v", err)
			}
		}
		fuzzCheck(t, fuzzDo(env.srv, target, body))
	})
}

// fuzzCheck asserts the protocol invariants of one answer.
func fuzzCheck(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	res := rec.Result()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		t.Fatalf("HTTP %d: %s", res.StatusCode, raw)
	}
	if !json.Valid(raw) {
		t.Fatalf("HTTP %d: body is not JSON: %q", res.StatusCode, raw)
	}
	if res.StatusCode == http.StatusOK {
		if len(raw) == 0 || raw[0] != '{' {
			t.Fatalf("HTTP 200: body is not a JSON object: %q", raw)
		}
		if h := res.Header.Get("X-Amzn-ErrorType"); h != "" {
			t.Fatalf("HTTP 200 with X-Amzn-ErrorType %q", h)
		}
		return
	}
	var e struct {
		Type    *string `json:"__type"`
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatalf("HTTP %d: error body: %v: %q", res.StatusCode, err, raw)
	}
	if e.Type == nil || *e.Type == "" {
		t.Fatalf("HTTP %d: error without __type: %q", res.StatusCode, raw)
	}
	if e.Message == nil {
		t.Fatalf("HTTP %d: error without message: %q", res.StatusCode, raw)
	}
	if h := res.Header.Get("X-Amzn-ErrorType"); h != *e.Type {
		t.Fatalf("HTTP %d: X-Amzn-ErrorType %q, __type %q", res.StatusCode, h, *e.Type)
	}
}
