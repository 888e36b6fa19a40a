package kms

import (
	"github.com/kms53/kms53/emulator/auth"
	"github.com/kms53/kms53/emulator/policy"
)

// AsService returns the Request of an AWS service calling KMS in-process as its service principal
// (dnssec-route53.amazonaws.com) on behalf of a resource: the request carries aws:SourceAccount
// (the resource owner), aws:SourceArn (the resource) and kms:GrantIsForAWSResource=true, so key
// policies and grants apply to the service's calls exactly as on AWS.
func AsService(principal, account, region, sourceArn, requestID string) *Request {
	ctx := policy.Context{}
	ctx.Set("aws:SourceAccount", account)
	ctx.Set("aws:SourceArn", sourceArn)
	ctx.Set("kms:GrantIsForAWSResource", "true")
	return &Request{Caller: auth.ServicePrincipal(principal, account), Region: region, ID: requestID, Context: ctx}
}
