package kms

import (
	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// The KMS error codes kms53 answers with. All are client faults (HTTP 400), as on AWS.
const (
	codeAlreadyExists        = "AlreadyExistsException"
	codeDisabled             = "DisabledException"
	codeDryRun               = "DryRunOperationException"
	codeInvalidAliasName     = "InvalidAliasNameException"
	codeInvalidKeyUsage      = "InvalidKeyUsageException"
	codeInvalidMarker        = "InvalidMarkerException"
	codeInvalidSignature     = "KMSInvalidSignatureException"
	codeInvalidState         = "KMSInvalidStateException"
	codeLimitExceeded        = "LimitExceededException"
	codeMalformedPolicy      = "MalformedPolicyDocumentException"
	codeNotFound             = "NotFoundException"
	codeTag                  = "TagException"
	codeUnsupportedOperation = "UnsupportedOperationException"
	codeCustomKeyStoreNotFnd = "CustomKeyStoreNotFoundException"
	codeValidation           = "ValidationException"
)

func errDisabled(arn string) error { return awsproto.Errorf(codeDisabled, "%s is disabled.", arn) }

func errPendingDeletion(arn string) error {
	return awsproto.Errorf(codeInvalidState, "%s is pending deletion.", arn)
}

func errNotPendingDeletion(arn string) error {
	return awsproto.Errorf(codeInvalidState, "%s is not pending deletion.", arn)
}

func errKeyUsage(arn, usage, op string) error {
	return awsproto.Errorf(codeInvalidKeyUsage, "%s key usage is %s which is not valid for %s.", arn, usage, op)
}

func errDryRun() error {
	return awsproto.Errorf(codeDryRun, "The request would have succeeded, but the DryRun option is set.")
}
