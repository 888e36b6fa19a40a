package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/kms53/kms53/client"
)

// Account is the account the scenarios' keys and zones belong to.
const Account = "111122223333"

// OtherAccount is the account of the Other identity.
const OtherAccount = "444455556666"

// Access keys of the scenario identities.
const (
	AdminKey    = "AKIAKMS53ADMIN"
	OperatorKey = "AKIAKMS53OPERATOR"
	AuditorKey  = "AKIAKMS53AUDITOR"
	OtherKey    = "AKIAKMS53OTHER"
)

// Identities is the -config document (YAML) of the scenario identities. NewEnv installs it
// through PUT /_kms53/identities, so scenarios run against any kms53.
const Identities = `identities:
  - accessKeyId: ` + AdminKey + `
    secretAccessKey: admin-secret
    arn: arn:aws:iam::` + Account + `:user/kms53-admin
    policies:
      - name: admin
        document: {Version: "2012-10-17", Statement: [{Sid: Everything, Effect: Allow, Action: ["kms:*", "route53:*"], Resource: "*"}]}
  - accessKeyId: ` + OperatorKey + `
    secretAccessKey: operator-secret
    arn: arn:aws:iam::` + Account + `:role/DNSSECOperator
    sessionName: scenario
    policies:
      - name: dnssec-operator
        document:
          Version: "2012-10-17"
          Statement:
            - {Sid: Route53, Effect: Allow, Action: "route53:*", Resource: "*"}
            - {Sid: UseKeys, Effect: Allow, Action: ["kms:CreateKey", "kms:DescribeKey", "kms:GetPublicKey", "kms:Sign", "kms:List*", "kms:CreateAlias"], Resource: "*"}
  - accessKeyId: ` + AuditorKey + `
    secretAccessKey: auditor-secret
    arn: arn:aws:iam::` + Account + `:user/auditor
    policies:
      - name: read-only
        document: {Version: "2012-10-17", Statement: [{Sid: Read, Effect: Allow, Action: ["route53:*", "kms:Describe*", "kms:Get*", "kms:List*"], Resource: "*"}]}
  - accessKeyId: ` + OtherKey + `
    secretAccessKey: other-secret
    arn: arn:aws:iam::` + OtherAccount + `:user/outsider
    policies:
      - name: admin
        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["kms:*", "route53:*"], Resource: "*"}]}
`

// Clients are the SDK clients of one identity.
type Clients struct {
	KMS     *kms.Client // us-east-1
	KMSEU   *kms.Client // eu-west-1
	Route53 *route53.Client
}

// Env is what a scenario runs against: SDK clients for several identities, the admin API, and
// the DNS server.
type Env struct {
	// Endpoint is the kms53 endpoint, e.g. http://127.0.0.1:4566.
	Endpoint string
	// DNSAddr is the kms53 DNS server (host:port); the DNS scenarios need it.
	DNSAddr string
	// Admin may do everything in Account (an IAM user with kms:* and route53:*).
	Admin Clients
	// Operator is a DNSSEC operator role with a narrow policy: Route 53, and creating and using
	// keys, but not editing them (no kms:UpdateKeyDescription, kms:UpdateAlias, kms:PutKeyPolicy).
	Operator Clients
	// Auditor may read everything but not sign.
	Auditor Clients
	// Other is a user of another account (OtherAccount) with kms:* and route53:*.
	Other Clients

	verbose io.Writer
	http    *http.Client
	shown   string
}

// EnvOptions configures NewEnv.
type EnvOptions struct {
	// DNSAddr is the emulator's DNS address.
	DNSAddr string
	// Verbose, if set, receives each step and, for each denial, the decision that explains it.
	Verbose io.Writer
	// HTTPClient carries every request (default http.DefaultClient); use one whose Transport is
	// client.Transport(server) to run in-process with no socket.
	HTTPClient *http.Client
}

// NewEnv connects to the kms53 at endpoint and installs the scenario identities there.
func NewEnv(ctx context.Context, endpoint string, opts EnvOptions) (*Env, error) {
	hc := opts.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	e := &Env{Endpoint: strings.TrimSuffix(endpoint, "/"), DNSAddr: opts.DNSAddr, verbose: opts.Verbose, http: hc}
	clients := func(key, secret string) Clients {
		o := []client.Option{client.WithCredentials(key, secret), client.WithHTTPClient(hc)}
		return Clients{
			KMS:     kms.NewFromConfig(client.AWSConfig(e.Endpoint, o...)),
			KMSEU:   kms.NewFromConfig(client.AWSConfig(e.Endpoint, append(o, client.WithRegion("eu-west-1"))...)),
			Route53: route53.NewFromConfig(client.AWSConfig(e.Endpoint, o...)),
		}
	}
	e.Admin = clients(AdminKey, "admin-secret")
	e.Operator = clients(OperatorKey, "operator-secret")
	e.Auditor = clients(AuditorKey, "auditor-secret")
	e.Other = clients(OtherKey, "other-secret")
	if err := e.admin(ctx, http.MethodPut, "identities", Identities, nil); err != nil {
		return nil, fmt.Errorf("installing the scenario identities at %s: %w", e.Endpoint, err)
	}
	return e, nil
}

// Stepf reports a step of the scenario (shown with -v).
func (e *Env) Stepf(format string, args ...any) {
	if e.verbose != nil {
		fmt.Fprintf(e.verbose, "    "+format+"\n", args...)
	}
}

// Reset removes all state of the emulator (the identities and the clock stay).
func (e *Env) Reset(ctx context.Context) error {
	return e.admin(ctx, http.MethodPost, "reset", "", nil)
}

// Advance moves the emulator's clock forward.
func (e *Env) Advance(ctx context.Context, d time.Duration) error {
	e.Stepf("clock +%s", d)
	return e.admin(ctx, http.MethodPost, "clock", fmt.Sprintf(`{"advance":%q}`, d.String()), nil)
}

// Now returns the emulator's time.
func (e *Env) Now(ctx context.Context) (time.Time, error) {
	var out struct{ Now time.Time }
	err := e.admin(ctx, http.MethodGet, "clock", "", &out)
	return out.Now, err
}

// Expect checks that err is the AWS error code and records it as what the scenario showed.
// With -v it prints the message and, for an access denial, the decision that explains it.
func (e *Env) Expect(ctx context.Context, err error, code string) error {
	if err == nil {
		return fmt.Errorf("want %s, the call succeeded", code)
	}
	if got := errorCode(err); got != code {
		return fmt.Errorf("want %s, got %v", code, err)
	}
	e.shown = code + ": " + errorMessage(err)
	e.Stepf("AWS answered %s: %s", code, errorMessage(err))
	if code == "AccessDeniedException" || code == "AccessDenied" || code == "InvalidKMSArn" {
		e.explainDenial(ctx)
	}
	return nil
}

// Show records an outcome other than an error as what the scenario showed.
func (e *Env) Show(format string, args ...any) {
	e.shown = fmt.Sprintf(format, args...)
	e.Stepf("%s", e.shown)
}

// explainDenial prints the latest denial of the decision log.
func (e *Env) explainDenial(ctx context.Context) {
	if e.verbose == nil {
		return
	}
	var out struct {
		Decisions []struct{ Caller, Action, Resource, Policy, Sid, Reason string }
	}
	if err := e.admin(ctx, http.MethodGet, "decisions?effect=Deny&limit=1", "", &out); err != nil || len(out.Decisions) == 0 {
		return
	}
	d := out.Decisions[0]
	e.Stepf("decision: %s may not %s on %s: %s (decided by %s %s)", d.Caller, d.Action, d.Resource, d.Reason, d.Policy, d.Sid)
}

// admin calls the admin API.
func (e *Env) admin(ctx context.Context, method, path, body string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, e.Endpoint+"/_kms53/"+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s /_kms53/%s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(b)))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
