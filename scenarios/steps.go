package scenarios

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/kms53/kms53/client"
)

// The steps scenarios are made of. Each logs itself with Stepf.

func createZone(ctx context.Context, env *Env, c Clients, name string) (string, error) {
	out, err := c.Route53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(name), CallerReference: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("CreateHostedZone %s: %w", name, err)
	}
	id := strings.TrimPrefix(*out.HostedZone.Id, "/hostedzone/")
	env.Stepf("hosted zone %s: %s, name servers %s", name, id, strings.Join(out.DelegationSet.NameServers, " "))
	return id, nil
}

func upsert(ctx context.Context, c Clients, zoneID, name string, t r53types.RRType, values ...string) error {
	var rrs []r53types.ResourceRecord
	for _, v := range values {
		rrs = append(rrs, r53types.ResourceRecord{Value: aws.String(v)})
	}
	_, err := c.Route53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zoneID),
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert,
			ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String(name), Type: t, TTL: aws.Int64(300), ResourceRecords: rrs}}}}})
	if err != nil {
		return fmt.Errorf("UPSERT %s %s: %w", name, t, err)
	}
	return nil
}

// dnssecKey creates a key with the policy AWS documents for Route 53 (confused-deputy
// conditions for zoneID when it is set).
func dnssecKey(ctx context.Context, env *Env, c Clients, zoneID string) (string, error) {
	// The operator may not call kms:PutKeyPolicy, so its keys bypass the lockout safety check.
	md, err := client.NewDNSSECKey(ctx, c.KMS, client.DNSSECKeyOptions{Account: Account, HostedZoneID: zoneID, Description: "DNSSEC KSK",
		BypassPolicyLockoutSafetyCheck: c == env.Operator})
	if err != nil {
		return "", fmt.Errorf("creating the DNSSEC key: %w", err)
	}
	env.Stepf("KMS key %s (ECC_NIST_P256, SIGN_VERIFY, the documented Route 53 key policy)", *md.Arn)
	return *md.Arn, nil
}

// keyWithPolicy creates an ECC_NIST_P256 signing key with the given policy ("" = the default).
func keyWithPolicy(ctx context.Context, env *Env, c *kms.Client, spec kmstypes.KeySpec, usage kmstypes.KeyUsageType, policy string) (string, error) {
	in := &kms.CreateKeyInput{KeySpec: spec, KeyUsage: usage}
	if policy != "" {
		in.Policy = aws.String(policy)
	}
	out, err := c.CreateKey(ctx, in)
	if err != nil {
		return "", fmt.Errorf("CreateKey: %w", err)
	}
	env.Stepf("KMS key %s (%s, %s)", *out.KeyMetadata.Arn, spec, usage)
	return *out.KeyMetadata.Arn, nil
}

func createKSK(ctx context.Context, env *Env, c Clients, zoneID, arn, name string) (*r53types.KeySigningKey, error) {
	out, err := c.Route53.CreateKeySigningKey(ctx, &route53.CreateKeySigningKeyInput{HostedZoneId: aws.String(zoneID),
		KeyManagementServiceArn: aws.String(arn), Name: aws.String(name), Status: aws.String("ACTIVE"), CallerReference: aws.String(name)})
	if err != nil {
		return nil, err
	}
	env.Stepf("KSK %s: %s, key tag %d", name, aws.ToString(out.KeySigningKey.Status), out.KeySigningKey.KeyTag)
	return out.KeySigningKey, nil
}

func enableDNSSEC(ctx context.Context, env *Env, c Clients, zoneID string) error {
	if _, err := c.Route53.EnableHostedZoneDNSSEC(ctx, &route53.EnableHostedZoneDNSSECInput{HostedZoneId: aws.String(zoneID)}); err != nil {
		return err
	}
	env.Stepf("EnableHostedZoneDNSSEC %s", zoneID)
	return nil
}

// signingZone sets up a signing zone: zone, key, KSK, enabled. It returns the zone id, the key
// ARN and the KSK.
func signingZone(ctx context.Context, env *Env, c Clients, name string) (string, string, *r53types.KeySigningKey, error) {
	zoneID, err := createZone(ctx, env, c, name)
	if err != nil {
		return "", "", nil, err
	}
	arn, err := dnssecKey(ctx, env, c, "")
	if err != nil {
		return "", "", nil, err
	}
	ksk, err := createKSK(ctx, env, c, zoneID, arn, "ksk_1")
	if err != nil {
		return "", "", nil, fmt.Errorf("CreateKeySigningKey: %w", err)
	}
	if err := enableDNSSEC(ctx, env, c, zoneID); err != nil {
		return "", "", nil, fmt.Errorf("EnableHostedZoneDNSSEC: %w", err)
	}
	return zoneID, arn, ksk, nil
}

// status reads GetDNSSEC: the zone's ServeSignature and the first KSK's status and message.
func status(ctx context.Context, env *Env, c Clients, zoneID string) (serve, ksk, msg string, err error) {
	out, err := c.Route53.GetDNSSEC(ctx, &route53.GetDNSSECInput{HostedZoneId: aws.String(zoneID)})
	if err != nil {
		return "", "", "", err
	}
	serve = aws.ToString(out.Status.ServeSignature)
	if len(out.KeySigningKeys) > 0 {
		ksk, msg = aws.ToString(out.KeySigningKeys[0].Status), aws.ToString(out.KeySigningKeys[0].StatusMessage)
	}
	env.Stepf("GetDNSSEC: zone %s, KSK %s %s", serve, ksk, msg)
	return serve, ksk, msg, nil
}

// wantStatus checks GetDNSSEC's zone and KSK status.
func wantStatus(ctx context.Context, env *Env, c Clients, zoneID, wantServe, wantKSK string) (string, error) {
	serve, ksk, msg, err := status(ctx, env, c, zoneID)
	if err != nil {
		return "", err
	}
	if serve != wantServe || ksk != wantKSK {
		return "", fmt.Errorf("GetDNSSEC: zone %s, KSK %s (%s); want zone %s, KSK %s", serve, ksk, msg, wantServe, wantKSK)
	}
	return msg, nil
}

func keyID(arn string) *string { return aws.String(arn[strings.LastIndex(arn, "/")+1:]) }
