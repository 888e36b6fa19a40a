package kms

import (
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/kms53/kms53/emulator/internal/awsproto"
	"github.com/kms53/kms53/emulator/policy"
	"github.com/kms53/kms53/emulator/store"
)

// CreateKeyInput is the CreateKey request.
type CreateKeyInput struct {
	Policy                         *string `json:"Policy"`
	Description                    *string `json:"Description"`
	KeyUsage                       string  `json:"KeyUsage"`
	CustomerMasterKeySpec          string  `json:"CustomerMasterKeySpec"`
	KeySpec                        string  `json:"KeySpec"`
	Origin                         string  `json:"Origin"`
	CustomKeyStoreID               string  `json:"CustomKeyStoreId"`
	BypassPolicyLockoutSafetyCheck bool    `json:"BypassPolicyLockoutSafetyCheck"`
	Tags                           []Tag   `json:"Tags"`
	MultiRegion                    bool    `json:"MultiRegion"`
	XksKeyID                       string  `json:"XksKeyId"`
}

// CreateKeyOutput is the CreateKey response.
type CreateKeyOutput struct {
	KeyMetadata *KeyMetadata `json:"KeyMetadata"`
}

// CreateKey creates a customer managed key with real key material of the requested spec.
func (s *Service) CreateKey(rc *Request, in *CreateKeyInput) (*CreateKeyOutput, error) {
	var c awsproto.Checks
	if in.Policy != nil {
		checkPolicyField(&c, *in.Policy)
	}
	if in.Description != nil {
		c.Length("description", *in.Description, 0, 8192)
	}
	c.Enum("keyUsage", in.KeyUsage, enumValues(types.KeyUsageType("").Values()))
	c.Enum("customerMasterKeySpec", in.CustomerMasterKeySpec, enumValues(types.CustomerMasterKeySpec("").Values()))
	c.Enum("keySpec", in.KeySpec, enumValues(types.KeySpec("").Values()))
	c.Enum("origin", in.Origin, enumValues(types.OriginType("").Values()))
	if in.CustomKeyStoreID != "" {
		c.Length("customKeyStoreId", in.CustomKeyStoreID, 1, 64)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}

	spec := in.KeySpec
	if in.CustomerMasterKeySpec != "" {
		if spec != "" {
			return nil, awsproto.Errorf(codeValidation,
				"You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec.")
		}
		spec = in.CustomerMasterKeySpec
	}
	if spec == "" {
		spec = "SYMMETRIC_DEFAULT"
	}
	ks, ok := keySpecs[spec]
	if !ok {
		// A spec AWS knows but kms53 does not implement is refused in AWS's enum-violation form,
		// listing the specs kms53 does implement, rather than accepted without real material.
		c.Add(spec, "keySpec", "Member must satisfy enum value set: "+listOf(implementedKeySpecs))
		return nil, c.Err()
	}
	usage := in.KeyUsage
	if usage == "" {
		if ks.required {
			return nil, awsproto.Errorf(codeValidation, "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
		}
		usage = ks.usages[0]
	}
	if !slices.Contains(ks.usages, usage) {
		return nil, awsproto.Errorf(codeValidation, "KeyUsage %s is not compatible with KeySpec %s", usage, spec)
	}
	if in.Origin != "" && in.Origin != "AWS_KMS" {
		return nil, awsproto.Errorf(codeUnsupportedOperation, "Origin %s is not supported by kms53; only AWS_KMS keys can be created.", in.Origin)
	}
	if in.CustomKeyStoreID != "" || in.XksKeyID != "" {
		return nil, awsproto.Errorf(codeCustomKeyStoreNotFnd, "Custom key store %s does not exist.", in.CustomKeyStoreID)
	}

	ctx := policy.Context{}
	ctx.Set("kms:KeySpec", spec)
	ctx.Set("kms:KeyUsage", usage)
	ctx.Set("kms:KeyOrigin", "AWS_KMS")
	ctx.Set("kms:MultiRegion", fmt.Sprint(in.MultiRegion))
	ctx.Set("kms:BypassPolicyLockoutSafetyCheck", fmt.Sprint(in.BypassPolicyLockoutSafetyCheck))
	for _, t := range tags {
		ctx.Set("aws:RequestTag/"+t.Key, t.Value)
		ctx["aws:tagkeys"] = append(ctx["aws:tagkeys"], t.Key)
	}
	if err := s.authorizeIAM(rc, "kms:CreateKey", "*", ctx); err != nil {
		return nil, err
	}

	id := s.newID()
	if in.MultiRegion {
		id = "mrk-" + hex.EncodeToString(s.random(16))
	}
	arn := KeyARN(rc.Region, rc.Caller.Account, id)
	doc := defaultKeyPolicy(rc.Caller.Account)
	compiled, err := policy.Parse(doc)
	if in.Policy != nil {
		doc = *in.Policy
		probe := store.Key{ARN: arn, Account: rc.Caller.Account, KeySpec: spec, KeyUsage: usage, Origin: "AWS_KMS", Tags: tags}
		compiled, err = s.checkNewPolicy(rc, doc, in.BypassPolicyLockoutSafetyCheck, arn, &probe)
	}
	if err != nil {
		return nil, err
	}

	signer, secret, err := ks.generate()
	if err != nil {
		return nil, err
	}
	desc := ""
	if in.Description != nil {
		desc = *in.Description
	}
	k := store.Key{
		ID:           id,
		ARN:          arn,
		Account:      rc.Caller.Account,
		Region:       rc.Region,
		Description:  desc,
		KeySpec:      spec,
		KeyUsage:     usage,
		Origin:       "AWS_KMS",
		MultiRegion:  in.MultiRegion,
		State:        stateEnabled,
		CreationDate: s.now(),
		Policy:       doc,
		Compiled:     compiled,
		Tags:         tags,
		Signer:       signer,
		Secret:       secret,
	}
	if err := s.store.CreateKey(k); err != nil {
		return nil, err
	}
	return &CreateKeyOutput{KeyMetadata: metadata(k)}, nil
}

// enumValues converts SDK enum values to strings.
func enumValues[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func listOf(vs []string) string {
	s := "["
	for i, v := range vs {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s + "]"
}
