package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/kms53/kms53/emulator"
)

// resignInterval is the emulator's default re-sign interval (Options.ResignInterval).
const resignInterval = 24 * time.Hour

// activateKSK calls ActivateKeySigningKey.
func (e *dnssecEnv) activateKSK(zone, name string) (*route53.ActivateKeySigningKeyOutput, error) {
	return e.r53.ActivateKeySigningKey(context.Background(), &route53.ActivateKeySigningKeyInput{HostedZoneId: aws.String(zone), Name: aws.String(name)})
}

// wantStatusMessage asserts that a KSK's StatusMessage names each of parts.
func wantStatusMessage(t testing.TB, k types.KeySigningKey, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(aws.ToString(k.StatusMessage), p) {
			t.Errorf("KSK %s StatusMessage = %q, want it to name %q", aws.ToString(k.Name), aws.ToString(k.StatusMessage), p)
		}
	}
}

// TestDNSSECKeyBreaksAndRecovers breaks the KMS key of a signing zone's only KSK. Route 53
// notices when it re-signs (after the re-sign interval, on the emulator's clock): the KSK and
// the zone turn ACTION_NEEDED. Activation fails until the key is fixed, then recovers.
func TestDNSSECKeyBreaksAndRecovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		breakKey func(t *testing.T, c *kms.Client, arn string)
		cause    []string // parts of the KSK's StatusMessage
		refused  []string // parts of the InvalidKMSArn of an activation before the fix
		fix      func(t *testing.T, c *kms.Client, arn string)
	}{
		{"DisableKey", func(t *testing.T, c *kms.Client, arn string) {
			need(c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(arn)}))(t)
		}, []string{"disabled"}, []string{"disabled"}, func(t *testing.T, c *kms.Client, arn string) {
			need(c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(arn)}))(t)
		}},
		{"ScheduleKeyDeletion", func(t *testing.T, c *kms.Client, arn string) {
			need(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(arn), PendingWindowInDays: aws.Int32(7)}))(t)
		}, []string{"pending deletion"}, []string{"pending deletion"}, func(t *testing.T, c *kms.Client, arn string) {
			// CancelKeyDeletion leaves the key Disabled (AWS-BEHAVIOUR §5.6).
			need(c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(arn)}))(t)
			need(c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(arn)}))(t)
		}},
		{"explicit Deny of Route 53 in the key policy", func(t *testing.T, c *kms.Client, arn string) {
			need(c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(arn),
				Policy: aws.String(keyPolicy(stmtAccountRoot, stmtRoute53Use, stmtRoute53Grant, stmtDenyRoute53))}))(t)
		}, []string{route53Principal, "explicit deny"}, []string{"kms:DescribeKey", route53Principal}, func(t *testing.T, c *kms.Client, arn string) {
			need(c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(arn), Policy: aws.String(dnssecPolicy)}))(t)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newDNSSECEnv(t, emulator.Options{}) // each case moves its own clock
			zone, arn := e.signingZone(t, "lifecycle.example")
			tt.breakKey(t, e.kms, arn)

			// Not noticed before the re-sign interval has passed...
			e.Server.Advance(resignInterval - time.Hour)
			e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE")
			// ...and noticed after.
			e.Server.Advance(2 * time.Hour)
			out := e.wantDNSSEC(t, zone, "ACTION_NEEDED", "ksk_one", "ACTION_NEEDED")
			k := kskNamed(t, out, "ksk_one")
			wantStatusMessage(t, k, append([]string{arn}, tt.cause...)...)
			if m, want := aws.ToTime(k.LastModifiedDate), t0.Add(resignInterval+time.Hour); !m.Equal(want) {
				t.Errorf("LastModifiedDate = %v, want %v (when Route 53 noticed)", m, want)
			}

			// Activation checks the key again, and fails until it is fixed.
			_, err := e.activateKSK(zone, "ksk_one")
			wantR53Err[*types.InvalidKMSArn](t, err, http.StatusBadRequest, append([]string{arn}, tt.refused...)...)
			e.wantDNSSEC(t, zone, "ACTION_NEEDED", "ksk_one", "ACTION_NEEDED")

			tt.fix(t, e.kms, arn)
			activated := need(e.activateKSK(zone, "ksk_one"))(t)
			wantInsync(t, e.r53, activated.ChangeInfo)
			out = e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE")
			if k := kskNamed(t, out, "ksk_one"); k.StatusMessage != nil {
				t.Errorf("recovered KSK StatusMessage = %q, want none", aws.ToString(k.StatusMessage))
			}
			if n := len(route53Grants(t, e.kms, arn)); n != 1 {
				t.Errorf("after recovery the key has %d Route 53 grants, want 1", n)
			}
			// And it keeps signing through the next re-sign.
			e.Server.Advance(resignInterval + time.Hour)
			e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE")
		})
	}
}

// TestDNSSECGrantAuthorizesRoute53 removes Route 53's statements from the key policy: its grant
// still lets it sign, until the grant is revoked.
func TestDNSSECGrantAuthorizesRoute53(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	zone, arn := e.signingZone(t, "grant.example")
	need(e.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(arn), Policy: aws.String(keyPolicy(stmtAccountRoot))}))(t)

	e.Server.Advance(resignInterval + time.Hour)
	e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE")

	grants := route53Grants(t, e.kms, arn)
	if len(grants) != 1 {
		t.Fatalf("Route 53 grants = %+v, want 1", grants)
	}
	need(e.kms.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: aws.String(arn), GrantId: grants[0].GrantId}))(t)
	e.Server.Advance(resignInterval + time.Hour)
	out := e.wantDNSSEC(t, zone, "ACTION_NEEDED", "ksk_one", "ACTION_NEEDED")
	wantStatusMessage(t, kskNamed(t, out, "ksk_one"), arn, route53Principal)

	// Recovery needs Route 53's statements back: activation creates a new grant.
	_, err := e.activateKSK(zone, "ksk_one")
	wantR53Err[*types.InvalidKMSArn](t, err, http.StatusBadRequest, recordedPermissionText(arn), route53Principal)
	need(e.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(arn), Policy: aws.String(dnssecPolicy)}))(t)
	need(e.activateKSK(zone, "ksk_one"))(t)
	e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE")
	if gs := route53Grants(t, e.kms, arn); len(gs) != 1 || aws.ToString(gs[0].GrantId) == aws.ToString(grants[0].GrantId) {
		t.Errorf("after recovery Route 53 grants = %+v, want one new grant", gs)
	}
}

// TestDNSSECBrokenKeyNoticedOnNextCall disables the key of a signing zone's ksk_one and makes
// another KSK or DNSSEC call at once: Route 53 re-signs on every such call, so ksk_one turns
// ACTION_NEEDED without waiting for the re-sign interval.
func TestDNSSECBrokenKeyNoticedOnNextCall(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	tests := []struct {
		name  string
		other string // status of a second KSK, ksk_two, made before the key breaks; empty: none
		call  func(t *testing.T, zone string) error
		serve string // ServeSignature after the call
	}{
		{"CreateKeySigningKey ACTIVE", "", func(t *testing.T, zone string) error {
			_, err := createKSK(e.r53, zone, "ksk_two", e.key(t, dnssecPolicy), "ACTIVE")
			return err
		}, "ACTION_NEEDED"},
		{"CreateKeySigningKey INACTIVE", "", func(t *testing.T, zone string) error {
			_, err := createKSK(e.r53, zone, "ksk_two", e.key(t, dnssecPolicy), "INACTIVE")
			return err
		}, "ACTION_NEEDED"},
		{"ActivateKeySigningKey", "INACTIVE", func(t *testing.T, zone string) error {
			_, err := e.activateKSK(zone, "ksk_two")
			return err
		}, "ACTION_NEEDED"},
		{"DeactivateKeySigningKey", "ACTIVE", func(t *testing.T, zone string) error {
			_, err := e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: aws.String(zone), Name: aws.String("ksk_two")})
			return err
		}, "ACTION_NEEDED"},
		{"DeleteKeySigningKey", "INACTIVE", func(t *testing.T, zone string) error {
			_, err := e.r53.DeleteKeySigningKey(ctx, &route53.DeleteKeySigningKeyInput{HostedZoneId: aws.String(zone), Name: aws.String("ksk_two")})
			return err
		}, "ACTION_NEEDED"},
		{"EnableHostedZoneDNSSEC", "", func(t *testing.T, zone string) error {
			_, err := e.r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: aws.String(zone)})
			return err
		}, "ACTION_NEEDED"},
		{"DisableHostedZoneDNSSEC", "", func(t *testing.T, zone string) error {
			_, err := e.r53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: aws.String(zone)})
			return err
		}, "NOT_SIGNING"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			zone, arn := e.signingZone(t, fmt.Sprintf("notice-%d.example", i))
			if tt.other != "" {
				need(createKSK(e.r53, zone, "ksk_two", e.key(t, dnssecPolicy), tt.other))(t)
			}
			need(e.kms.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(arn)}))(t)
			e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE") // GetDNSSEC alone waits for the interval
			noErr(t, tt.call(t, zone))
			out := e.wantDNSSEC(t, zone, tt.serve, "ksk_one", "ACTION_NEEDED")
			wantStatusMessage(t, kskNamed(t, out, "ksk_one"), arn, "disabled")
		})
	}
}

// TestDNSSECChangesPropagateOnTheClock runs every mutating DNSSEC call with a propagation delay:
// each change is PENDING until the delay has passed on the emulator's clock, then INSYNC.
func TestDNSSECChangesPropagateOnTheClock(t *testing.T) {
	t.Parallel()
	const delay = 30 * time.Second
	e := newDNSSECEnv(t, emulator.Options{PropagationDelay: delay})
	ctx := context.Background()
	zone := e.zone(t, "propagate.example")
	z := aws.String(zone)
	arn1, arn2 := e.key(t, dnssecPolicy), e.key(t, dnssecPolicy)
	steps := []struct {
		name string
		call func(t *testing.T) *types.ChangeInfo
	}{
		{"CreateKeySigningKey", func(t *testing.T) *types.ChangeInfo {
			return need(createKSK(e.r53, zone, "ksk_one", arn1, "ACTIVE"))(t).ChangeInfo
		}},
		{"EnableHostedZoneDNSSEC", func(t *testing.T) *types.ChangeInfo {
			return need(e.r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: z}))(t).ChangeInfo
		}},
		{"CreateKeySigningKey INACTIVE", func(t *testing.T) *types.ChangeInfo {
			return need(createKSK(e.r53, zone, "ksk_two", arn2, "INACTIVE"))(t).ChangeInfo
		}},
		{"ActivateKeySigningKey", func(t *testing.T) *types.ChangeInfo {
			return need(e.activateKSK(zone, "ksk_two"))(t).ChangeInfo
		}},
		{"DeactivateKeySigningKey", func(t *testing.T) *types.ChangeInfo {
			return need(e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: z, Name: aws.String("ksk_two")}))(t).ChangeInfo
		}},
		{"DeleteKeySigningKey", func(t *testing.T) *types.ChangeInfo {
			return need(e.r53.DeleteKeySigningKey(ctx, &route53.DeleteKeySigningKeyInput{HostedZoneId: z, Name: aws.String("ksk_two")}))(t).ChangeInfo
		}},
		{"DisableHostedZoneDNSSEC", func(t *testing.T) *types.ChangeInfo {
			return need(e.r53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: z}))(t).ChangeInfo
		}},
	}
	for _, s := range steps {
		ci := s.call(t)
		submitted := e.Server.Now()
		if ci.Status != types.ChangeStatusPending || !aws.ToTime(ci.SubmittedAt).Equal(submitted) {
			t.Errorf("%s ChangeInfo = %s submitted %v, want PENDING submitted %v", s.name, ci.Status, aws.ToTime(ci.SubmittedAt), submitted)
		}
		getChange := func() types.ChangeStatus {
			return need(e.r53.GetChange(ctx, &route53.GetChangeInput{Id: ci.Id}))(t).ChangeInfo.Status
		}
		e.Server.Advance(delay - time.Second)
		if got := getChange(); got != types.ChangeStatusPending {
			t.Errorf("%s change before the delay = %s, want PENDING", s.name, got)
		}
		e.Server.Advance(time.Second)
		if got := getChange(); got != types.ChangeStatusInsync {
			t.Errorf("%s change after the delay = %s, want INSYNC", s.name, got)
		}
	}
	e.wantDNSSEC(t, zone, "NOT_SIGNING", "ksk_one", "ACTIVE")
}

// TestDNSSECDeletedKey lets a KSK's key be deleted: the KSK turns ACTION_NEEDED and cannot be
// deleted until it is deactivated (AWS-BEHAVIOUR §2.4, §3.5); then the zone can go.
func TestDNSSECDeletedKey(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	zone, arn := e.signingZone(t, "deleted.example")
	z := aws.String(zone)
	need(e.kms.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(arn), PendingWindowInDays: aws.Int32(7)}))(t)
	e.Server.Advance(7*24*time.Hour + time.Second)
	out := e.wantDNSSEC(t, zone, "ACTION_NEEDED", "ksk_one", "ACTION_NEEDED")
	wantStatusMessage(t, kskNamed(t, out, "ksk_one"), arn, "does not exist")

	_, err := e.r53.DeleteKeySigningKey(ctx, &route53.DeleteKeySigningKeyInput{HostedZoneId: z, Name: aws.String("ksk_one")})
	wantR53Message[*types.InvalidKeySigningKeyStatus](t, err, http.StatusBadRequest,
		"Key Signing Key with name ksk_one cannot be deleted because current status is not INACTIVE.")
	_, err = e.activateKSK(zone, "ksk_one")
	wantR53Err[*types.InvalidKMSArn](t, err, http.StatusBadRequest, arn, "does not exist")

	need(e.r53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: z}))(t)
	need(e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: z, Name: aws.String("ksk_one")}))(t)
	need(e.r53.DeleteKeySigningKey(ctx, &route53.DeleteKeySigningKeyInput{HostedZoneId: z, Name: aws.String("ksk_one")}))(t)
	need(e.r53.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: z}))(t)
}
