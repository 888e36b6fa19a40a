package client

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// DNSSECKeyOptions describes the key NewDNSSECKey creates.
type DNSSECKeyOptions struct {
	// Account is the account that owns the key: the key policy's administrator statement names
	// its root. Required.
	Account string
	// HostedZoneID, when set, adds the confused-deputy conditions AWS recommends: Route 53 may
	// use the key only for this zone (aws:SourceArn) of this account (aws:SourceAccount).
	HostedZoneID string
	// Description of the key.
	Description string
	// BypassPolicyLockoutSafetyCheck lets a caller whose IAM policy does not allow
	// kms:PutKeyPolicy create the key: the policy delegates to IAM, so KMS's lockout safety check
	// would refuse it otherwise (MalformedPolicyDocumentException). Such a caller can use the key
	// with Route 53 but not edit it, as AWS documents for keys the console creates.
	BypassPolicyLockoutSafetyCheck bool
}

// DNSSECKeyPolicy returns the key policy AWS documents for a Route 53 DNSSEC key: the account
// administers the key (through IAM), and the service principal dnssec-route53.amazonaws.com may
// describe it, read its public key, sign with it and create grants for AWS resources.
func DNSSECKeyPolicy(account, hostedZoneID string) string {
	service := map[string]any{"Service": "dnssec-route53.amazonaws.com"}
	use := map[string]any{
		"Sid": "Allow Route 53 DNSSEC Service", "Effect": "Allow", "Principal": service,
		"Action": []string{"kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"}, "Resource": "*",
	}
	if hostedZoneID != "" {
		use["Condition"] = map[string]any{
			"StringEquals": map[string]string{"aws:SourceAccount": account},
			"ArnEquals":    map[string]string{"aws:SourceArn": "arn:aws:route53:::hostedzone/" + hostedZoneID},
		}
	}
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
				"Principal": map[string]string{"AWS": "arn:aws:iam::" + account + ":root"}, "Action": "kms:*", "Resource": "*"},
			use,
			map[string]any{"Sid": "Allow Route 53 DNSSEC to CreateGrant", "Effect": "Allow", "Principal": service,
				"Action": []string{"kms:CreateGrant"}, "Resource": "*",
				"Condition": map[string]any{"Bool": map[string]bool{"kms:GrantIsForAWSResource": true}}},
		},
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return string(b)
}

// NewDNSSECKey creates a KMS key Route 53 DNSSEC can use, as the Route 53 console does when it
// creates one for you: ECC_NIST_P256, SIGN_VERIFY, with DNSSECKeyPolicy. The client must be for
// us-east-1, the only region Route 53 accepts KSK keys from.
func NewDNSSECKey(ctx context.Context, c *kms.Client, opts DNSSECKeyOptions) (*types.KeyMetadata, error) {
	if opts.Account == "" {
		return nil, fmt.Errorf("client: NewDNSSECKey needs the account that owns the key")
	}
	out, err := c.CreateKey(ctx, &kms.CreateKeyInput{
		KeySpec:                        types.KeySpecEccNistP256,
		KeyUsage:                       types.KeyUsageTypeSignVerify,
		Policy:                         aws.String(DNSSECKeyPolicy(opts.Account, opts.HostedZoneID)),
		Description:                    aws.String(opts.Description),
		BypassPolicyLockoutSafetyCheck: opts.BypassPolicyLockoutSafetyCheck,
	})
	if err != nil {
		return nil, err
	}
	return out.KeyMetadata, nil
}
