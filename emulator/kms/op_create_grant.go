package kms

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/store"
)

// CreateGrantInput is the CreateGrant request.
type CreateGrantInput struct {
	KeyID                    string            `json:"KeyId"`
	GranteePrincipal         string            `json:"GranteePrincipal"`
	GranteeServicePrincipal  string            `json:"GranteeServicePrincipal"`
	RetiringPrincipal        string            `json:"RetiringPrincipal"`
	RetiringServicePrincipal string            `json:"RetiringServicePrincipal"`
	Operations               []string          `json:"Operations"`
	Constraints              *GrantConstraints `json:"Constraints"`
	GrantTokens              []string          `json:"GrantTokens"`
	Name                     string            `json:"Name"`
	DryRun                   bool              `json:"DryRun"`
}

// GrantConstraints are the constraints of a grant.
type GrantConstraints struct {
	EncryptionContextEquals map[string]string `json:"EncryptionContextEquals,omitempty"`
	EncryptionContextSubset map[string]string `json:"EncryptionContextSubset,omitempty"`
	SourceArn               string            `json:"SourceArn,omitempty"`
}

// CreateGrantOutput is the CreateGrant response.
type CreateGrantOutput struct {
	GrantID    string `json:"GrantId"`
	GrantToken string `json:"GrantToken"`
}

var (
	principalPattern = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	grantNamePattern = regexp.MustCompile(`^[a-zA-Z0-9:/_-]+$`)
	// granteeARN is what a GranteePrincipal or RetiringPrincipal must look like: an account, an
	// account root, or an IAM/STS principal ARN.
	granteeARN = regexp.MustCompile(`^([0-9]{12}|arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:.+)$`)
)

// CreateGrant lets a grantee use a key in the listed operations. Grants take effect at once
// (AWS's eventual consistency is not modelled). With a Name, identical retries return the same
// grant id.
func (s *Service) CreateGrant(rc *Request, in *CreateGrantInput) (*CreateGrantOutput, error) {
	var c awsproto.Checks
	checkKeyID(&c, in.KeyID)
	for field, v := range map[string]string{"granteePrincipal": in.GranteePrincipal, "retiringPrincipal": in.RetiringPrincipal,
		"granteeServicePrincipal": in.GranteeServicePrincipal, "retiringServicePrincipal": in.RetiringServicePrincipal} {
		if v != "" {
			c.Length(field, v, 1, 256)
			c.Pattern(field, v, `^[\w+=,.@:/-]+$`, principalPattern.MatchString(v))
		}
	}
	c.Required("operations", in.Operations != nil)
	for _, op := range in.Operations {
		c.Enum("operations", op, enumValues(types.GrantOperation("").Values()))
	}
	if in.Name != "" {
		c.Length("name", in.Name, 1, 256)
		c.Pattern("name", in.Name, "^[a-zA-Z0-9:/_-]+$", grantNamePattern.MatchString(in.Name))
	}
	checkGrantTokens(&c, in.GrantTokens)
	if err := c.Err(); err != nil {
		return nil, err
	}
	switch {
	case (in.GranteePrincipal == "") == (in.GranteeServicePrincipal == ""):
		return nil, awsproto.Errorf(codeValidation, "You must specify either GranteePrincipal or GranteeServicePrincipal, but not both.")
	case in.RetiringPrincipal != "" && in.RetiringServicePrincipal != "":
		return nil, awsproto.Errorf(codeValidation, "You can specify either RetiringPrincipal or RetiringServicePrincipal, but not both.")
	case in.GranteeServicePrincipal != "" && (in.Constraints == nil || in.Constraints.SourceArn == ""):
		return nil, awsproto.Errorf(codeValidation, "A grant for a service principal requires a SourceArn grant constraint.")
	case in.GranteeServicePrincipal != "" && in.RetiringPrincipal == "" && in.RetiringServicePrincipal == "":
		return nil, awsproto.Errorf(codeValidation, "A grant for a service principal requires a RetiringPrincipal or RetiringServicePrincipal.")
	case len(in.Operations) == 0:
		return nil, awsproto.Errorf(codeValidation, "1 validation error detected: Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	for _, p := range []string{in.GranteePrincipal, in.RetiringPrincipal} {
		if p != "" && !granteeARN.MatchString(p) {
			// UNVERIFIED text; AWS refuses principals it cannot resolve with ValidationException.
			return nil, awsproto.Errorf(codeValidation, "Invalid principal %s: a grant principal must be an AWS account id or an IAM or STS principal ARN.", p)
		}
	}

	if rc.Context == nil {
		rc.Context = map[string][]string{}
	}
	rc.Context.Set("kms:GrantOperations", in.Operations...)
	rc.Context.Set("kms:GranteePrincipal", in.GranteePrincipal+in.GranteeServicePrincipal)
	if r := in.RetiringPrincipal + in.RetiringServicePrincipal; r != "" {
		rc.Context.Set("kms:RetiringPrincipal", r)
	}
	if len(rc.Context["kms:grantisforawsresource"]) == 0 {
		rc.Context.Set("kms:GrantIsForAWSResource", "false")
	}
	k, err := s.resolveKey(rc, "kms:CreateGrant", in.KeyID, false)
	if err != nil {
		return nil, err
	}
	if err := usable(k); err != nil {
		return nil, err
	}
	allowed := grantOperations(k)
	for _, op := range in.Operations {
		if !slices.Contains(allowed, op) {
			// AWS answers an operation the key does not support with a validation error
			// (KMS developer guide, grants). UNVERIFIED text.
			return nil, awsproto.Errorf(codeValidation, "Grant operation %s is not valid for key %s with KeySpec %s and KeyUsage %s.",
				op, k.ARN, k.KeySpec, k.KeyUsage)
		}
	}
	if in.Constraints != nil && (len(in.Constraints.EncryptionContextEquals) > 0 || len(in.Constraints.EncryptionContextSubset) > 0) &&
		k.KeySpec != "SYMMETRIC_DEFAULT" {
		return nil, awsproto.Errorf(codeValidation, "Encryption context grant constraints are not supported for %s keys.", k.KeySpec)
	}
	if in.DryRun {
		return nil, errDryRun()
	}

	g := store.Grant{
		ID:                       s.newGrantID(),
		Token:                    s.newGrantToken(),
		KeyID:                    k.ID,
		Name:                     in.Name,
		GranteePrincipal:         in.GranteePrincipal,
		GranteeServicePrincipal:  in.GranteeServicePrincipal,
		RetiringPrincipal:        in.RetiringPrincipal,
		RetiringServicePrincipal: in.RetiringServicePrincipal,
		IssuingAccount:           "arn:aws:iam::" + rc.Caller.Account + ":root",
		Operations:               slices.Clone(in.Operations),
		CreationDate:             s.now(),
	}
	if in.Constraints != nil {
		g.EncryptionContextEquals = maps.Clone(in.Constraints.EncryptionContextEquals)
		g.EncryptionContextSubset = maps.Clone(in.Constraints.EncryptionContextSubset)
		g.SourceArn = in.Constraints.SourceArn
	}
	if in.Name != "" {
		for _, have := range s.store.Grants(k.ID) {
			if sameGrant(have, g) {
				return &CreateGrantOutput{GrantID: have.ID, GrantToken: have.Token}, nil
			}
		}
	}
	if err := s.store.CreateGrant(g); err != nil {
		return nil, err
	}
	return &CreateGrantOutput{GrantID: g.ID, GrantToken: g.Token}, nil
}

// sameGrant reports whether two grants have identical parameters (for Name idempotency).
func sameGrant(a, b store.Grant) bool {
	ops := func(g store.Grant) string {
		o := slices.Clone(g.Operations)
		slices.Sort(o)
		return strings.Join(o, ",")
	}
	return a.Name == b.Name && a.GranteePrincipal == b.GranteePrincipal && a.GranteeServicePrincipal == b.GranteeServicePrincipal &&
		a.RetiringPrincipal == b.RetiringPrincipal && a.RetiringServicePrincipal == b.RetiringServicePrincipal &&
		ops(a) == ops(b) && maps.Equal(a.EncryptionContextEquals, b.EncryptionContextEquals) &&
		maps.Equal(a.EncryptionContextSubset, b.EncryptionContextSubset) && a.SourceArn == b.SourceArn
}
