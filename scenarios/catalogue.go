package scenarios

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/kms53/kms53/client"
)

// catalogue is every scenario, in the order they are listed and run.
var catalogue = []Scenario{
	{
		Name: "happy-path",
		Doc: "A DNSSEC operator with a narrow IAM policy creates a KMS key (ECC_NIST_P256, SIGN_VERIFY, us-east-1) with the key " +
			"policy AWS documents for Route 53, a hosted zone, an ACTIVE key-signing key and enables signing: GetDNSSEC reports " +
			"SIGNING and the DS record to publish in the parent zone, computed from the key's real public key.",
		Run: happyPath,
	},
	{
		Name: "ksk-key-in-wrong-region",
		Doc:  "The KMS key lives in eu-west-1. Route 53 only accepts keys in us-east-1: CreateKeySigningKey answers InvalidKMSArn.",
		Run:  refusedKey("eu-west-1", kmstypes.KeySpecEccNistP256, kmstypes.KeyUsageTypeSignVerify, client.DNSSECKeyPolicy(Account, "")),
	},
	{
		Name: "ksk-key-wrong-spec",
		Doc:  "The KMS key is ECC_NIST_P384. Route 53 signs with ECDSAP256SHA256 only: CreateKeySigningKey answers InvalidKMSArn naming the key spec.",
		Run:  refusedKey("us-east-1", kmstypes.KeySpecEccNistP384, kmstypes.KeyUsageTypeSignVerify, client.DNSSECKeyPolicy(Account, "")),
	},
	{
		Name: "ksk-key-wrong-usage",
		Doc:  "The KMS key is a symmetric ENCRYPT_DECRYPT key. A KSK needs an asymmetric SIGN_VERIFY key: CreateKeySigningKey answers InvalidKMSArn.",
		Run:  refusedKey("us-east-1", kmstypes.KeySpecSymmetricDefault, kmstypes.KeyUsageTypeEncryptDecrypt, client.DNSSECKeyPolicy(Account, "")),
	},
	{
		Name: "ksk-key-disabled",
		Doc:  "The KMS key is disabled. Route 53 needs an Enabled key: CreateKeySigningKey answers InvalidKMSArn.",
		Run: refusal(func(ctx context.Context, env *Env, _ string) (string, error) {
			arn, err := dnssecKey(ctx, env, env.Admin, "")
			if err == nil {
				_, err = env.Admin.KMS.DisableKey(ctx, &kms.DisableKeyInput{KeyId: keyID(arn)})
				env.Stepf("DisableKey")
			}
			return arn, err
		}),
	},
	{
		Name: "ksk-key-policy-without-route53",
		Doc: "The KMS key has the default key policy, which names only the account: Route 53's service principal " +
			"dnssec-route53.amazonaws.com may not use it. CreateKeySigningKey answers InvalidKMSArn with AWS's text: the CMK did not " +
			"grant all required permissions for DNSSEC usage.",
		Run: refusedKey("us-east-1", kmstypes.KeySpecEccNistP256, kmstypes.KeyUsageTypeSignVerify, ""),
	},
	{
		Name: "ksk-confused-deputy-other-zone",
		Doc: "The key policy lets Route 53 use the key only for another hosted zone (aws:SourceArn condition, AWS's confused-deputy " +
			"protection). Route 53's calls carry this zone's ARN, so CreateKeySigningKey answers InvalidKMSArn.",
		Run: refusedKey("us-east-1", kmstypes.KeySpecEccNistP256, kmstypes.KeyUsageTypeSignVerify, client.DNSSECKeyPolicy(Account, "ZOTHERZONE0000000000")),
	},
	{
		Name: "ksk-policy-without-creategrant",
		Doc: "The key policy lets Route 53 describe, read and sign with the key but not create grants (the " +
			"kms:GrantIsForAWSResource statement is missing): CreateKeySigningKey answers InvalidKMSArn naming kms:CreateGrant.",
		Run: refusedKey("us-east-1", kmstypes.KeySpecEccNistP256, kmstypes.KeyUsageTypeSignVerify,
			withoutStatement(client.DNSSECKeyPolicy(Account, ""), "Allow Route 53 DNSSEC to CreateGrant")),
	},
	{
		Name: "ksk-caller-cannot-sign",
		Doc: "Route 53 checks that you and Route 53 may use the key. The caller here is an auditor whose IAM policy allows reading " +
			"but not kms:Sign: CreateKeySigningKey answers InvalidKMSArn naming kms:Sign for the caller.",
		Run: callerCannotSign,
	},
	{
		Name: "edit-dnssec-key",
		Doc: "Route 53 can use a key without its users having kms:UpdateKeyDescription, kms:UpdateAlias or kms:PutKeyPolicy, " +
			"but editing the key needs them: the DNSSEC operator is denied each (AccessDeniedException, no identity-based policy " +
			"allows the action), and the administrator, whose IAM policy allows them, succeeds.",
		Run: editKey,
	},
	{
		Name: "key-disabled-after-signing",
		Doc: "The zone signs; then the KMS key is disabled. At Route 53's next re-signing (every 24h on the emulator's clock) the " +
			"KSK and the zone turn ACTION_NEEDED. Enabling the key and calling ActivateKeySigningKey recovers: ACTIVE, SIGNING.",
		Run: keyDisabledAfterSigning,
	},
	{
		Name: "key-scheduled-for-deletion",
		Doc: "The zone signs; then the KMS key is scheduled for deletion. At the next re-signing the KSK turns ACTION_NEEDED. " +
			"CancelKeyDeletion leaves the key Disabled, so recovery is CancelKeyDeletion, EnableKey, ActivateKeySigningKey.",
		Run: keyScheduledForDeletion,
	},
	{
		Name: "grant-revoked",
		Doc: "The zone signs; the Route 53 statements are removed from the key policy, and signing goes on through the grant " +
			"Route 53 created. Once the grant is revoked too, Route 53 has no access left: the KSK and the zone turn ACTION_NEEDED.",
		Run: grantRevoked,
	},
	{
		Name: "ksk-limit",
		Doc:  "A hosted zone can have two KSKs. Creating a third answers TooManyKeySigningKeys.",
		Run:  kskLimit,
	},
	{
		Name: "delete-active-ksk",
		Doc:  "A KSK must be deactivated before it is deleted: DeleteKeySigningKey on an ACTIVE KSK answers InvalidKeySigningKeyStatus.",
		Run:  deleteActiveKSK,
	},
	{
		Name: "enable-without-active-ksk",
		Doc:  "Signing needs an ACTIVE KSK: EnableHostedZoneDNSSEC on a zone whose only KSK is INACTIVE answers KeySigningKeyWithActiveStatusNotFound.",
		Run:  enableWithoutActiveKSK,
	},
	{
		Name: "disable-with-ds-in-parent",
		Doc: "The parent zone (also hosted) publishes the child's DS record. Disabling the child's signing would break the " +
			"chain of trust: DisableHostedZoneDNSSEC answers KeySigningKeyInParentDSRecord until the DS is removed from the parent.",
		Run: disableWithDSInParent,
	},
	{
		Name: "other-account-cannot-use-key",
		Doc: "A user of another account, allowed kms:* by its own IAM policy, may not use the key: the key policy names only the " +
			"owner account. Sign answers AccessDeniedException (no resource-based policy allows the kms:Sign action).",
		Run: otherAccount,
	},
	{
		Name: "resolver-fails-after-expiry",
		Doc: "A validating resolver trusting the zone's DS validates its answers. After the KMS key is disabled, Route 53 cannot " +
			"re-sign the DNSKEY RRset; the last signatures are served until they expire (14 days), after which the resolver " +
			"fails (SERVFAIL), as it would for a real zone whose key broke.",
		Run: resolverFailsAfterExpiry,
	},
}

func happyPath(ctx context.Context, env *Env) error {
	zoneID, _, _, err := signingZone(ctx, env, env.Operator, "example.test")
	if err != nil {
		return err
	}
	out, err := env.Operator.Route53.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: aws.String(zoneID)})
	if err != nil {
		return err
	}
	if got := aws.ToString(out.Status.ServeSignature); got != "SIGNING" || len(out.KeySigningKeys) != 1 {
		return fmt.Errorf("GetDNSSEC: %s with %d KSKs, want SIGNING with 1", got, len(out.KeySigningKeys))
	}
	env.Show("SIGNING; publish in the parent: example.test. DS %s", aws.ToString(out.KeySigningKeys[0].DSRecord))
	return nil
}

// refusal builds a scenario where CreateKeySigningKey refuses the key makeKey returns.
func refusal(makeKey func(ctx context.Context, env *Env, zoneID string) (string, error)) func(context.Context, *Env) error {
	return func(ctx context.Context, env *Env) error {
		zoneID, err := createZone(ctx, env, env.Admin, "example.test")
		if err != nil {
			return err
		}
		arn, err := makeKey(ctx, env, zoneID)
		if err != nil {
			return err
		}
		_, err = createKSK(ctx, env, env.Admin, zoneID, arn, "ksk_1")
		return env.Expect(ctx, err, "InvalidKMSArn")
	}
}

// refusedKey is a refusal whose key the administrator creates in region with spec, usage and
// policy ("" for the default policy).
func refusedKey(region string, spec kmstypes.KeySpec, usage kmstypes.KeyUsageType, policy string) func(context.Context, *Env) error {
	return refusal(func(ctx context.Context, env *Env, _ string) (string, error) {
		c := env.Admin.KMS
		if region == "eu-west-1" {
			c = env.Admin.KMSEU
		}
		return keyWithPolicy(ctx, env, c, spec, usage, policy)
	})
}

// withoutStatement removes the statement with sid from a policy document.
func withoutStatement(policy, sid string) string {
	var doc map[string]any
	_ = json.Unmarshal([]byte(policy), &doc)
	var kept []any
	for _, st := range doc["Statement"].([]any) {
		if st.(map[string]any)["Sid"] != sid {
			kept = append(kept, st)
		}
	}
	doc["Statement"] = kept
	b, _ := json.Marshal(doc)
	return string(b)
}

func callerCannotSign(ctx context.Context, env *Env) error {
	zoneID, err := createZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	arn, err := dnssecKey(ctx, env, env.Admin, "")
	if err != nil {
		return err
	}
	_, err = createKSK(ctx, env, env.Auditor, zoneID, arn, "ksk_1")
	if err := env.Expect(ctx, err, "InvalidKMSArn"); err != nil {
		return err
	}
	if !strings.Contains(env.shown, "kms:Sign for arn:aws:iam::"+Account+":user/auditor") {
		return fmt.Errorf("InvalidKMSArn does not name kms:Sign for the auditor: %s", env.shown)
	}
	return nil
}

func editKey(ctx context.Context, env *Env) error {
	zoneID, arn, _, err := signingZone(ctx, env, env.Operator, "example.test")
	if err != nil {
		return err
	}
	_ = zoneID
	if _, err := env.Operator.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/dnssec"), TargetKeyId: keyID(arn)}); err != nil {
		return fmt.Errorf("CreateAlias: %w", err)
	}
	other, err := dnssecKey(ctx, env, env.Admin, "")
	if err != nil {
		return err
	}
	edits := []struct {
		name string
		call func(c *kms.Client) error
	}{
		{"UpdateKeyDescription", func(c *kms.Client) error {
			_, err := c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: keyID(arn), Description: aws.String("zone KSK")})
			return err
		}},
		{"UpdateAlias", func(c *kms.Client) error {
			_, err := c.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/dnssec"), TargetKeyId: keyID(other)})
			return err
		}},
		{"PutKeyPolicy", func(c *kms.Client) error {
			_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: keyID(arn), Policy: aws.String(client.DNSSECKeyPolicy(Account, zoneID))})
			return err
		}},
	}
	var shown []string
	for _, e := range edits {
		if err := env.Expect(ctx, e.call(env.Operator.KMS), "AccessDeniedException"); err != nil {
			return fmt.Errorf("operator %s: %w", e.name, err)
		}
		shown = append(shown, e.name)
	}
	for _, e := range edits {
		if err := e.call(env.Admin.KMS); err != nil {
			return fmt.Errorf("admin %s: %w", e.name, err)
		}
		env.Stepf("admin %s: allowed", e.name)
	}
	env.Show("AccessDeniedException for the operator's %s; allowed for the admin", strings.Join(shown, ", "))
	return nil
}

// breakAndRecover runs the ACTION_NEEDED lifecycle: break the key, see it at the next
// re-signing, fix it, activate the KSK.
func breakAndRecover(ctx context.Context, env *Env, breakKey, fixKey func(arn string) error) error {
	zoneID, arn, _, err := signingZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	if err := breakKey(arn); err != nil {
		return err
	}
	if err := env.Advance(ctx, 25*time.Hour); err != nil {
		return err
	}
	msg, err := wantStatus(ctx, env, env.Admin, zoneID, "ACTION_NEEDED", "ACTION_NEEDED")
	if err != nil {
		return err
	}
	if err := fixKey(arn); err != nil {
		return err
	}
	if _, err := env.Admin.Route53.ActivateKeySigningKey(ctx, &route53.ActivateKeySigningKeyInput{HostedZoneId: aws.String(zoneID), Name: aws.String("ksk_1")}); err != nil {
		return fmt.Errorf("ActivateKeySigningKey: %w", err)
	}
	env.Stepf("ActivateKeySigningKey")
	if _, err := wantStatus(ctx, env, env.Admin, zoneID, "SIGNING", "ACTIVE"); err != nil {
		return err
	}
	env.Show("ACTION_NEEDED (%s), recovered to SIGNING", msg)
	return nil
}

func keyDisabledAfterSigning(ctx context.Context, env *Env) error {
	return breakAndRecover(ctx, env, func(arn string) error {
		env.Stepf("DisableKey")
		_, err := env.Admin.KMS.DisableKey(ctx, &kms.DisableKeyInput{KeyId: keyID(arn)})
		return err
	}, func(arn string) error {
		env.Stepf("EnableKey")
		_, err := env.Admin.KMS.EnableKey(ctx, &kms.EnableKeyInput{KeyId: keyID(arn)})
		return err
	})
}

func keyScheduledForDeletion(ctx context.Context, env *Env) error {
	return breakAndRecover(ctx, env, func(arn string) error {
		env.Stepf("ScheduleKeyDeletion (7 days)")
		_, err := env.Admin.KMS.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: keyID(arn), PendingWindowInDays: aws.Int32(7)})
		return err
	}, func(arn string) error {
		env.Stepf("CancelKeyDeletion, EnableKey")
		if _, err := env.Admin.KMS.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: keyID(arn)}); err != nil {
			return err
		}
		_, err := env.Admin.KMS.EnableKey(ctx, &kms.EnableKeyInput{KeyId: keyID(arn)})
		return err
	})
}

func grantRevoked(ctx context.Context, env *Env) error {
	zoneID, arn, _, err := signingZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	policy := withoutStatement(withoutStatement(client.DNSSECKeyPolicy(Account, ""), "Allow Route 53 DNSSEC Service"), "Allow Route 53 DNSSEC to CreateGrant")
	if _, err := env.Admin.KMS.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: keyID(arn), Policy: aws.String(policy)}); err != nil {
		return fmt.Errorf("PutKeyPolicy: %w", err)
	}
	env.Stepf("PutKeyPolicy without the Route 53 statements")
	if err := env.Advance(ctx, 25*time.Hour); err != nil {
		return err
	}
	if _, err := wantStatus(ctx, env, env.Admin, zoneID, "SIGNING", "ACTIVE"); err != nil {
		return fmt.Errorf("with Route 53's grant still standing: %w", err)
	}
	grants, err := env.Admin.KMS.ListGrants(ctx, &kms.ListGrantsInput{KeyId: keyID(arn)})
	if err != nil {
		return err
	}
	for _, g := range grants.Grants {
		if _, err := env.Admin.KMS.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: keyID(arn), GrantId: g.GrantId}); err != nil {
			return fmt.Errorf("RevokeGrant: %w", err)
		}
		env.Stepf("RevokeGrant %s (grantee %s)", aws.ToString(g.GrantId)[:12], aws.ToString(g.GranteeServicePrincipal))
	}
	if err := env.Advance(ctx, 25*time.Hour); err != nil {
		return err
	}
	msg, err := wantStatus(ctx, env, env.Admin, zoneID, "ACTION_NEEDED", "ACTION_NEEDED")
	if err != nil {
		return err
	}
	env.Show("signing went on through the grant; after RevokeGrant: ACTION_NEEDED (%s)", msg)
	return nil
}

func kskLimit(ctx context.Context, env *Env) error {
	zoneID, err := createZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	for i := 1; i <= 3; i++ {
		arn, err := dnssecKey(ctx, env, env.Admin, "")
		if err != nil {
			return err
		}
		_, err = createKSK(ctx, env, env.Admin, zoneID, arn, fmt.Sprintf("ksk_%d", i))
		if i < 3 && err != nil {
			return fmt.Errorf("KSK %d: %w", i, err)
		}
		if i == 3 {
			return env.Expect(ctx, err, "TooManyKeySigningKeys")
		}
	}
	return nil
}

func deleteActiveKSK(ctx context.Context, env *Env) error {
	zoneID, _, _, err := signingZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	_, err = env.Admin.Route53.DeleteKeySigningKey(ctx, &route53.DeleteKeySigningKeyInput{HostedZoneId: aws.String(zoneID), Name: aws.String("ksk_1")})
	return env.Expect(ctx, err, "InvalidKeySigningKeyStatus")
}

func enableWithoutActiveKSK(ctx context.Context, env *Env) error {
	zoneID, err := createZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	arn, err := dnssecKey(ctx, env, env.Admin, "")
	if err != nil {
		return err
	}
	if _, err := env.Admin.Route53.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{HostedZoneId: aws.String(zoneID),
		KeyManagementServiceArn: aws.String(arn), Name: aws.String("ksk_1"), Status: aws.String("INACTIVE"), CallerReference: aws.String("k")}); err != nil {
		return err
	}
	env.Stepf("KSK ksk_1: INACTIVE")
	return env.Expect(ctx, enableDNSSEC(ctx, env, env.Admin, zoneID), "KeySigningKeyWithActiveStatusNotFound")
}

func disableWithDSInParent(ctx context.Context, env *Env) error {
	parentID, err := createZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	childID, _, ksk, err := signingZone(ctx, env, env.Admin, "sub.example.test")
	if err != nil {
		return err
	}
	child, err := env.Admin.Route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(childID)})
	if err != nil {
		return err
	}
	if err := upsert(ctx, env.Admin, parentID, "sub.example.test", r53types.RRTypeNs, child.DelegationSet.NameServers...); err != nil {
		return err
	}
	if err := upsert(ctx, env.Admin, parentID, "sub.example.test", r53types.RRTypeDs, aws.ToString(ksk.DSRecord)); err != nil {
		return err
	}
	env.Stepf("parent example.test delegates sub.example.test and publishes its DS %s", aws.ToString(ksk.DSRecord))
	_, err = env.Admin.Route53.DisableHostedZoneDNSSEC(ctx, &route53.DisableHostedZoneDNSSECInput{HostedZoneId: aws.String(childID)})
	return env.Expect(ctx, err, "KeySigningKeyInParentDSRecord")
}

func otherAccount(ctx context.Context, env *Env) error {
	arn, err := dnssecKey(ctx, env, env.Admin, "")
	if err != nil {
		return err
	}
	_, err = env.Other.KMS.Sign(ctx, &kms.SignInput{KeyId: aws.String(arn), Message: []byte("zone data"), SigningAlgorithm: kmstypes.SigningAlgorithmSpecEcdsaSha256})
	return env.Expect(ctx, err, "AccessDeniedException")
}

func resolverFailsAfterExpiry(ctx context.Context, env *Env) error {
	zoneID, arn, ksk, err := signingZone(ctx, env, env.Admin, "example.test")
	if err != nil {
		return err
	}
	if err := upsert(ctx, env.Admin, zoneID, "www.example.test", r53types.RRTypeA, "192.0.2.1"); err != nil {
		return err
	}
	now, err := env.Now(ctx)
	if err != nil {
		return err
	}
	ds := aws.ToString(ksk.DSRecord)
	addrs, err := validate(env.DNSAddr, "example.test.", ds, "www.example.test.", now)
	if err != nil {
		return fmt.Errorf("before the key broke: %w", err)
	}
	env.Stepf("resolver trusting DS %s: www.example.test. A %s, validated", ds, strings.Join(addrs, " "))
	if _, err := env.Admin.KMS.DisableKey(ctx, &kms.DisableKeyInput{KeyId: keyID(arn)}); err != nil {
		return err
	}
	env.Stepf("DisableKey")
	if err := env.Advance(ctx, 15*24*time.Hour); err != nil {
		return err
	}
	if _, err := wantStatus(ctx, env, env.Admin, zoneID, "ACTION_NEEDED", "ACTION_NEEDED"); err != nil {
		return err
	}
	if now, err = env.Now(ctx); err != nil {
		return err
	}
	_, err = validate(env.DNSAddr, "example.test.", ds, "www.example.test.", now)
	if err == nil {
		return fmt.Errorf("the resolver still validated the zone 15 days after its key was disabled")
	}
	env.Show("validated before; after the key broke and 15 days: %v", err)
	return nil
}
