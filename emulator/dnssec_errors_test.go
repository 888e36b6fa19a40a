package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/kms53/kms53/emulator"
)

// recordedPermissionText is AWS's recorded InvalidKMSArn text for a key that does not let the
// caller and Route 53 use it (AWS-BEHAVIOUR §2.4).
func recordedPermissionText(arn string) string {
	return "The CMK with ARN '" + arn + "' did not grant all required permissions for DNSSEC usage. Please review your key-policy, " +
		"and verify that you and Route 53 have permissions to perform the following actions: DescribeKey, GetPublicKey, and Sign."
}

// wantR53Err asserts that err carries the Route 53 error E with HTTP status and a message
// containing each of parts (the stable parts of texts AWS-BEHAVIOUR.md marks UNVERIFIED).
func wantR53Err[E smithy.APIError](t testing.TB, err error, status int, parts ...string) E {
	t.Helper()
	got := wantStatusErr[E](t, err, status)
	for _, p := range parts {
		if !strings.Contains(got.ErrorMessage(), p) {
			t.Errorf("%s message = %q, want it to contain %q", got.ErrorCode(), got.ErrorMessage(), p)
		}
	}
	return got
}

// wantR53Message asserts that err carries the Route 53 error E with HTTP status and exactly msg
// (a text AWS-BEHAVIOUR.md records).
func wantR53Message[E smithy.APIError](t testing.TB, err error, status int, msg string) {
	t.Helper()
	if got := wantStatusErr[E](t, err, status); got.ErrorMessage() != msg {
		t.Errorf("%s message = %q, want %q", got.ErrorCode(), got.ErrorMessage(), msg)
	}
}

// TestDNSSECKeyChecks runs CreateKeySigningKey against keys Route 53 must refuse (and a few it
// must accept): each refusal is InvalidKMSArn naming the exact cause, and leaves no KSK and no
// grant behind.
func TestDNSSECKeyChecks(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	other := e.zone(t, "other.example")
	newKey := func(t *testing.T, spec kmstypes.KeySpec, usage kmstypes.KeyUsageType, policy string) string {
		return aws.ToString(need(e.kms.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage, Policy: aws.String(policy)}))(t).KeyMetadata.Arn)
	}
	const unknown = "arn:aws:kms:us-east-1:111122223333:key/0e2f3b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b"

	tests := []struct {
		name string
		// key returns the ARN to use and the client that can list its grants (nil: none).
		key    func(t *testing.T, zone string) (string, *kms.Client)
		caller *route53.Client // nil: the account root
		// want holds parts of the InvalidKMSArn message (the ARN is always checked); nil: the
		// KSK is created.
		want []string
		// recorded: the message starts with AWS's recorded permission text.
		recorded bool
	}{
		{name: "key in eu-west-1", key: func(t *testing.T, _ string) (string, *kms.Client) {
			c := e.Client(defaultAccessKey, "eu-west-1")
			return aws.ToString(createSigningKey(t, c, dnssecPolicy).Arn), c
		}, want: []string{"eu-west-1", "us-east-1"}},
		{name: "SYMMETRIC_DEFAULT key", key: func(t *testing.T, _ string) (string, *kms.Client) {
			return newKey(t, kmstypes.KeySpecSymmetricDefault, kmstypes.KeyUsageTypeEncryptDecrypt, dnssecPolicy), e.kms
		}, want: []string{"SYMMETRIC_DEFAULT", "ECC_NIST_P256"}},
		{name: "RSA_2048 signing key", key: func(t *testing.T, _ string) (string, *kms.Client) {
			return newKey(t, kmstypes.KeySpecRsa2048, kmstypes.KeyUsageTypeSignVerify, dnssecPolicy), e.kms
		}, want: []string{"RSA_2048", "ECC_NIST_P256"}},
		{name: "ECC_NIST_P384 signing key", key: func(t *testing.T, _ string) (string, *kms.Client) {
			return newKey(t, kmstypes.KeySpecEccNistP384, kmstypes.KeyUsageTypeSignVerify, dnssecPolicy), e.kms
		}, want: []string{"ECC_NIST_P384", "ECC_NIST_P256"}},
		{name: "ECC_NIST_P256 key agreement key", key: func(t *testing.T, _ string) (string, *kms.Client) {
			return newKey(t, kmstypes.KeySpecEccNistP256, kmstypes.KeyUsageTypeKeyAgreement, dnssecPolicy), e.kms
		}, want: []string{"KEY_AGREEMENT", "SIGN_VERIFY"}},
		{name: "disabled key", key: func(t *testing.T, _ string) (string, *kms.Client) {
			arn := e.key(t, dnssecPolicy)
			need(e.kms.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(arn)}))(t)
			return arn, e.kms
		}, want: []string{"disabled"}},
		{name: "key pending deletion", key: func(t *testing.T, _ string) (string, *kms.Client) {
			arn := e.key(t, dnssecPolicy)
			need(e.kms.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(arn), PendingWindowInDays: aws.Int32(7)}))(t)
			return arn, e.kms
		}, want: []string{"pending deletion"}},
		{name: "unknown key ARN", key: func(*testing.T, string) (string, *kms.Client) { return unknown, nil },
			want: []string{"does not exist"}},
		{name: "alias ARN", key: func(t *testing.T, _ string) (string, *kms.Client) {
			arn := e.key(t, dnssecPolicy)
			need(e.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/dnssec-ksk"), TargetKeyId: aws.String(arn)}))(t)
			return "arn:aws:kms:us-east-1:111122223333:alias/dnssec-ksk", nil
		}, want: []string{}},
		{name: "default key policy", key: func(t *testing.T, _ string) (string, *kms.Client) {
			return e.key(t, ""), e.kms
		}, want: []string{"kms:DescribeKey", route53Principal}, recorded: true},
		{name: "Route 53 statement without GetPublicKey", key: func(t *testing.T, _ string) (string, *kms.Client) {
			use := strings.Replace(stmtRoute53Use, `"kms:GetPublicKey",`, "", 1)
			return e.key(t, keyPolicy(stmtAccountRoot, use, stmtRoute53Grant)), e.kms
		}, want: []string{"kms:GetPublicKey", route53Principal}, recorded: true},
		{name: "SourceArn condition naming another zone", key: func(t *testing.T, _ string) (string, *kms.Client) {
			return e.key(t, keyPolicy(stmtAccountRoot, stmtRoute53UseFor(other), stmtRoute53Grant)), e.kms
		}, want: []string{"kms:DescribeKey", route53Principal}, recorded: true},
		{name: "SourceArn condition naming this zone", key: func(t *testing.T, zone string) (string, *kms.Client) {
			return e.key(t, keyPolicy(stmtAccountRoot, stmtRoute53UseFor(zone), stmtRoute53Grant)), e.kms
		}},
		{name: "SourceArn condition for every hosted zone", key: func(t *testing.T, _ string) (string, *kms.Client) {
			use := strings.Replace(stmtRoute53UseFor(other), `"ArnEquals":{"aws:SourceArn":"arn:aws:route53:::hostedzone/`+other+`"}`,
				`"ArnLike":{"aws:SourceArn":"arn:aws:route53:::hostedzone/*"}`, 1)
			return e.key(t, keyPolicy(stmtAccountRoot, use, stmtRoute53Grant)), e.kms
		}},
		{name: "no CreateGrant statement", key: func(t *testing.T, _ string) (string, *kms.Client) {
			return e.key(t, keyPolicy(stmtAccountRoot, stmtRoute53Use)), e.kms
		}, want: []string{"kms:CreateGrant", route53Principal}, recorded: true},
		{name: "caller not allowed kms:Sign", caller: e.Route53(kskAdminKey, "kskadmin-secret", defaultRegion),
			key:  func(t *testing.T, _ string) (string, *kms.Client) { return e.key(t, dnssecPolicy), e.kms },
			want: []string{"kms:Sign", kskAdminARN}, recorded: true},
		{name: "caller allowed by IAM", caller: e.Route53(kskAdminKey, "kskadmin-secret", defaultRegion),
			key: func(t *testing.T, _ string) (string, *kms.Client) {
				// The key policy allows the caller kms:Sign itself; IAM allows the rest.
				sign := `{"Sid":"DNS admin signs","Effect":"Allow","Principal":{"AWS":"` + kskAdminARN + `"},"Action":"kms:Sign","Resource":"*"}`
				return e.key(t, keyPolicy(stmtAccountRoot, stmtRoute53Use, stmtRoute53Grant, sign)), e.kms
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			zone := e.zone(t, fmt.Sprintf("checks-%d.example", i))
			arn, grants := tt.key(t, zone)
			caller := tt.caller
			if caller == nil {
				caller = e.r53
			}
			out, err := createKSK(caller, zone, "ksk_one", arn, "ACTIVE")
			if tt.want == nil {
				noErr(t, err)
				if aws.ToString(out.KeySigningKey.Status) != "ACTIVE" || len(route53Grants(t, grants, arn)) != 1 {
					t.Errorf("KSK %+v, want ACTIVE with one Route 53 grant", out.KeySigningKey)
				}
				return
			}
			got := wantR53Err[*types.InvalidKMSArn](t, err, http.StatusBadRequest, append([]string{arn}, tt.want...)...)
			if tt.recorded && !strings.HasPrefix(got.ErrorMessage(), recordedPermissionText(arn)) {
				t.Errorf("message = %q, want it to start with AWS's recorded text %q", got.ErrorMessage(), recordedPermissionText(arn))
			}
			if out := e.getDNSSEC(t, zone); len(out.KeySigningKeys) != 0 {
				t.Errorf("refused CreateKeySigningKey left KSKs %+v", out.KeySigningKeys)
			}
			if grants != nil {
				if gs := route53Grants(t, grants, arn); len(gs) != 0 {
					t.Errorf("refused CreateKeySigningKey left Route 53 grants %+v", gs)
				}
			}
		})
	}
}

// TestDNSSECKSKRules breaks the rules of KSKs on a signing zone with one ACTIVE KSK, ksk_one;
// each refusal leaves the zone signing with ksk_one ACTIVE.
func TestDNSSECKSKRules(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	kskCall := func(zone, name string) (*string, *string) { return aws.String(zone), aws.String(name) }
	activate := func(zone, name string) error {
		z, n := kskCall(zone, name)
		_, err := e.r53.ActivateKeySigningKey(ctx, &route53.ActivateKeySigningKeyInput{HostedZoneId: z, Name: n})
		return err
	}
	deactivate := func(zone, name string) error {
		z, n := kskCall(zone, name)
		_, err := e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: z, Name: n})
		return err
	}
	deleteKSK := func(zone, name string) error {
		z, n := kskCall(zone, name)
		_, err := e.r53.DeleteKeySigningKey(ctx, &route53.DeleteKeySigningKeyInput{HostedZoneId: z, Name: n})
		return err
	}
	long := strings.Repeat("k", 128)

	tests := []struct {
		name  string
		call  func(t *testing.T, zone, arn string) error
		check func(t *testing.T, err error, zone, arn string) // nil: the call succeeds
	}{
		{"name of 2 characters", func(t *testing.T, zone, _ string) error {
			_, err := createKSK(e.r53, zone, "ab", e.key(t, dnssecPolicy), "ACTIVE")
			return err
		}, func(t *testing.T, err error, _, _ string) {
			wantR53Err[*types.InvalidKeySigningKeyName](t, err, http.StatusBadRequest, `"ab"`)
		}},
		{"name with a hyphen", func(t *testing.T, zone, _ string) error {
			_, err := createKSK(e.r53, zone, "a-b", e.key(t, dnssecPolicy), "ACTIVE")
			return err
		}, func(t *testing.T, err error, _, _ string) {
			wantR53Err[*types.InvalidKeySigningKeyName](t, err, http.StatusBadRequest, `"a-b"`)
		}},
		{"name of 129 characters", func(t *testing.T, zone, _ string) error {
			_, err := createKSK(e.r53, zone, long+"k", e.key(t, dnssecPolicy), "ACTIVE")
			return err
		}, func(t *testing.T, err error, _, _ string) {
			wantR53Err[*types.InvalidKeySigningKeyName](t, err, http.StatusBadRequest, long+"k")
		}},
		{"name of 128 characters", func(t *testing.T, zone, _ string) error {
			_, err := createKSK(e.r53, zone, long, e.key(t, dnssecPolicy), "INACTIVE")
			return err
		}, nil},
		{"name of 3 characters with an underscore", func(t *testing.T, zone, _ string) error {
			_, err := createKSK(e.r53, zone, "k_2", e.key(t, dnssecPolicy), "ACTIVE")
			return err
		}, nil},
		{"status neither ACTIVE nor INACTIVE", func(t *testing.T, zone, _ string) error {
			_, err := createKSK(e.r53, zone, "ksk_two", e.key(t, dnssecPolicy), "ENABLED")
			return err
		}, func(t *testing.T, err error, _, _ string) {
			wantR53Err[*types.InvalidKeySigningKeyStatus](t, err, http.StatusBadRequest, "ENABLED")
		}},
		{"duplicate name", func(t *testing.T, zone, _ string) error {
			_, err := createKSK(e.r53, zone, "ksk_one", e.key(t, dnssecPolicy), "ACTIVE")
			return err
		}, func(t *testing.T, err error, zone, _ string) {
			wantR53Err[*types.KeySigningKeyAlreadyExists](t, err, http.StatusConflict, zone, "ksk_one")
		}},
		{"duplicate KMS key", func(t *testing.T, zone, arn string) error {
			_, err := createKSK(e.r53, zone, "ksk_two", arn, "ACTIVE")
			return err
		}, func(t *testing.T, err error, zone, arn string) {
			wantR53Err[*types.KeySigningKeyAlreadyExists](t, err, http.StatusConflict, zone, arn)
		}},
		{"third KSK", func(t *testing.T, zone, _ string) error {
			need(createKSK(e.r53, zone, "ksk_two", e.key(t, dnssecPolicy), "INACTIVE"))(t)
			_, err := createKSK(e.r53, zone, "ksk_three", e.key(t, dnssecPolicy), "ACTIVE")
			return err
		}, func(t *testing.T, err error, zone, _ string) {
			wantR53Err[*types.TooManyKeySigningKeys](t, err, http.StatusBadRequest, zone)
		}},
		{"delete an ACTIVE KSK", func(t *testing.T, zone, _ string) error { return deleteKSK(zone, "ksk_one") },
			func(t *testing.T, err error, _, _ string) {
				wantR53Message[*types.InvalidKeySigningKeyStatus](t, err, http.StatusBadRequest,
					"Key Signing Key with name ksk_one cannot be deleted because current status is not INACTIVE.")
			}},
		{"deactivate the only ACTIVE KSK of a signing zone", func(t *testing.T, zone, _ string) error { return deactivate(zone, "ksk_one") },
			func(t *testing.T, err error, _, _ string) {
				wantR53Err[*types.KeySigningKeyInUse](t, err, http.StatusBadRequest, "ksk_one")
			}},
		{"activate an unknown KSK", func(t *testing.T, zone, _ string) error { return activate(zone, "no_such_ksk") },
			func(t *testing.T, err error, _, _ string) {
				wantR53Err[*types.NoSuchKeySigningKey](t, err, http.StatusNotFound, "no_such_ksk")
			}},
		{"deactivate an unknown KSK", func(t *testing.T, zone, _ string) error { return deactivate(zone, "no_such_ksk") },
			func(t *testing.T, err error, _, _ string) {
				wantR53Err[*types.NoSuchKeySigningKey](t, err, http.StatusNotFound, "no_such_ksk")
			}},
		{"delete an unknown KSK", func(t *testing.T, zone, _ string) error { return deleteKSK(zone, "no_such_ksk") },
			func(t *testing.T, err error, _, _ string) {
				wantR53Err[*types.NoSuchKeySigningKey](t, err, http.StatusNotFound, "no_such_ksk")
			}},
		{"delete the hosted zone", func(t *testing.T, zone, _ string) error {
			_, err := e.r53.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(zone)})
			return err
		}, func(t *testing.T, err error, _, _ string) {
			wantR53Message[*types.HostedZoneNotEmpty](t, err, http.StatusBadRequest,
				"The specified hosted zone contains DNSSEC Key Signing Keys and so cannot be deleted.")
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			zone, arn := e.signingZone(t, fmt.Sprintf("rules-%d.example", i))
			err := tt.call(t, zone, arn)
			if tt.check == nil {
				noErr(t, err)
			} else {
				tt.check(t, err, zone, arn)
			}
			e.wantDNSSEC(t, zone, "SIGNING", "ksk_one", "ACTIVE")
		})
	}
}

// TestDNSSECEnableNeedsActiveKSK enables signing on zones without an ACTIVE KSK.
func TestDNSSECEnableNeedsActiveKSK(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	tests := []struct {
		name string
		ksk  string // the status of the zone's one KSK; empty: no KSK
	}{
		{"no KSK", ""},
		{"only an INACTIVE KSK", "INACTIVE"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			zone := e.zone(t, fmt.Sprintf("enable-%d.example", i))
			if tt.ksk != "" {
				need(createKSK(e.r53, zone, "ksk_one", e.key(t, dnssecPolicy), tt.ksk))(t)
			}
			_, err := e.r53.EnableHostedZoneDNSSEC(context.Background(), &route53.EnableHostedZoneDNSSECInput{HostedZoneId: aws.String(zone)})
			wantR53Message[*types.KeySigningKeyWithActiveStatusNotFound](t, err, http.StatusBadRequest,
				"Hosted zone with ID '"+zone+"' does not have a Key Signing Key in ACTIVE status.")
			e.wantDNSSEC(t, zone, "NOT_SIGNING")
		})
	}
}

func TestDNSSECDisableWithoutDNSSEC(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	zone := e.zone(t, "unsigned.example")
	_, err := e.r53.DisableHostedZoneDNSSEC(context.Background(), &route53.DisableHostedZoneDNSSECInput{HostedZoneId: aws.String(zone)})
	wantR53Err[*types.DNSSECNotFound](t, err, http.StatusBadRequest, zone)
}

// TestDNSSECParentZone signs sub.example.test below its parent example.test, both hosted here:
// Enable checks the parent's delegation, and Disable and Deactivate refuse while the parent
// holds the child's DS record.
func TestDNSSECParentZone(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	parent := aws.String(e.zone(t, "example.test"))
	childOut := createZone(t, e.r53, "sub.example.test")
	child := zoneID(childOut.HostedZone)
	childArg := aws.String(child)
	nameServers := childOut.DelegationSet.NameServers
	if len(nameServers) < 2 {
		t.Fatalf("child name servers = %v", nameServers)
	}
	need(createKSK(e.r53, child, "ksk_one", e.key(t, dnssecPolicy), "ACTIVE"))(t)
	enable := func() error {
		_, err := e.r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: childArg})
		return err
	}
	delegate := func(ns ...string) {
		t.Helper()
		need(e.r53.ChangeResourceRecordSets(ctx, changeBatch(parent, upsert(rrset("sub.example.test.", types.RRTypeNs, 172800, ns...)))))(t)
	}

	// Delegation to other name servers, or to only some of the child's, is partial.
	for _, ns := range [][]string{{"ns-1.elsewhere.example.", "ns-2.elsewhere.example."}, nameServers[:1]} {
		delegate(ns...)
		wantR53Err[*types.HostedZonePartiallyDelegated](t, enable(), http.StatusBadRequest, child, aws.ToString(parent), ns[0])
		e.wantDNSSEC(t, child, "NOT_SIGNING", "ksk_one", "ACTIVE")
	}
	// Delegation to exactly the child's name servers (with trailing dots, in another order) is not.
	var full []string
	for i := len(nameServers) - 1; i >= 0; i-- {
		full = append(full, nameServers[i]+".")
	}
	delegate(full...)
	noErr(t, enable())
	ds := aws.ToString(kskNamed(t, e.wantDNSSEC(t, child, "SIGNING", "ksk_one", "ACTIVE"), "ksk_one").DSRecord)

	// The parent publishes the child's DS record; a second ACTIVE KSK lets ksk_one be deactivated
	// but for the DS.
	dsRecord := rrset("sub.example.test.", types.RRTypeDs, 3600, ds)
	need(e.r53.ChangeResourceRecordSets(ctx, changeBatch(parent, create(dsRecord))))(t)
	need(createKSK(e.r53, child, "ksk_two", e.key(t, dnssecPolicy), "ACTIVE"))(t)

	_, err := e.r53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: childArg})
	wantR53Err[*types.KeySigningKeyInParentDSRecord](t, err, http.StatusBadRequest, "ksk_one", aws.ToString(parent))
	_, err = e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: childArg, Name: aws.String("ksk_one")})
	wantR53Err[*types.KeySigningKeyInParentDSRecord](t, err, http.StatusBadRequest, "ksk_one", aws.ToString(parent))
	e.wantDNSSEC(t, child, "SIGNING", "ksk_one", "ACTIVE", "ksk_two", "ACTIVE")

	// ksk_two is not in the DS record: it can go.
	need(e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: childArg, Name: aws.String("ksk_two")}))(t)

	// Once the parent drops the DS, signing can stop and ksk_one can be deactivated.
	need(e.r53.ChangeResourceRecordSets(ctx, changeBatch(parent, del(dsRecord))))(t)
	need(e.r53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: childArg}))(t)
	need(e.r53.DeactivateKeySigningKey(ctx, &route53.DeactivateKeySigningKeyInput{HostedZoneId: childArg, Name: aws.String("ksk_one")}))(t)
	e.wantDNSSEC(t, child, "NOT_SIGNING", "ksk_one", "INACTIVE", "ksk_two", "INACTIVE")
}

// TestDNSSECUnknownZone calls the DNSSEC operations that declare NoSuchHostedZone on a zone that
// does not exist.
func TestDNSSECUnknownZone(t *testing.T) {
	t.Parallel()
	e := newDNSSECEnv(t, emulator.Options{})
	ctx := context.Background()
	const id = "Z0NOSUCHZONE000000000"
	z := aws.String(id)
	arn := e.key(t, dnssecPolicy)
	tests := []struct {
		name string
		call func() error
	}{
		{"CreateKeySigningKey", func() error { _, err := createKSK(e.r53, id, "ksk_one", arn, "ACTIVE"); return err }},
		{"EnableHostedZoneDNSSEC", func() error {
			_, err := e.r53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: z})
			return err
		}},
		{"DisableHostedZoneDNSSEC", func() error {
			_, err := e.r53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: z})
			return err
		}},
		{"GetDNSSEC", func() error { _, err := e.r53.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: z}); return err }},
	}
	for _, tt := range tests { // not parallel: the grant check below follows them
		t.Run(tt.name, func(t *testing.T) { wantNoSuchHostedZone(t, tt.call(), id) })
	}
	if gs := route53Grants(t, e.kms, arn); len(gs) != 0 {
		t.Errorf("CreateKeySigningKey on an unknown zone left Route 53 grants %+v", gs)
	}
}
