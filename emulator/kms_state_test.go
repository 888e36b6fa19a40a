package emulator_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// sign signs a short RAW message with ECDSA_SHA_256.
func sign(c *kms.Client, keyID string) (*kms.SignOutput, error) {
	return c.Sign(ctx, &kms.SignInput{
		KeyId: aws.String(keyID), Message: []byte("state check"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
}

func getPublicKey(c *kms.Client, keyID string) (*kms.GetPublicKeyOutput, error) {
	return c.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(keyID)})
}

func checkState(t testing.TB, m *types.KeyMetadata, state types.KeyState, enabled bool, deletion *time.Time) {
	t.Helper()
	if m.KeyState != state || m.Enabled != enabled {
		t.Errorf("KeyState, Enabled = %s, %v; want %s, %v", m.KeyState, m.Enabled, state, enabled)
	}
	switch {
	case deletion == nil && m.DeletionDate != nil:
		t.Errorf("DeletionDate = %v, want none", *m.DeletionDate)
	case deletion != nil && (m.DeletionDate == nil || !m.DeletionDate.Equal(*deletion)):
		t.Errorf("DeletionDate = %v, want %v", m.DeletionDate, *deletion)
	}
}

func TestDisableAndEnableKey(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := signingKey(t, c)
	id, arn := aws.ToString(k.KeyId), aws.ToString(k.Arn)

	must(c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)}))(t)
	checkState(t, describe(t, c, id), types.KeyStateDisabled, false, nil)

	disabled := arn + " is disabled."
	_, err := sign(c, id)
	wantErr[*types.DisabledException](t, err, disabled)
	_, err = getPublicKey(c, id)
	wantErr[*types.DisabledException](t, err, disabled)
	_, err = c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: []byte("m"), Signature: []byte("s"),
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	wantErr[*types.DisabledException](t, err, disabled)

	// A disabled key still takes management operations.
	must(c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: aws.String("off")}))(t)
	must(c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)}))(t)

	must(c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(arn)}))(t)
	m := describe(t, c, id)
	checkState(t, m, types.KeyStateEnabled, true, nil)
	if aws.ToString(m.Description) != "off" {
		t.Errorf("Description = %q, want %q", aws.ToString(m.Description), "off")
	}
	must(sign(c, id))(t)
}

func TestScheduleAndCancelKeyDeletion(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c := env.KMS()
	k := signingKey(t, c)
	id, arn := aws.ToString(k.KeyId), aws.ToString(k.Arn)

	env.Server.Advance(time.Hour)
	out := must(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id)}))(t)
	deletion := t0.Add(time.Hour + 30*day) // the default window is 30 days, from the time of the call
	if aws.ToString(out.KeyId) != arn || out.KeyState != types.KeyStatePendingDeletion ||
		aws.ToInt32(out.PendingWindowInDays) != 30 || !aws.ToTime(out.DeletionDate).Equal(deletion) {
		t.Errorf("ScheduleKeyDeletion = {KeyId %s, KeyState %s, PendingWindowInDays %d, DeletionDate %v}, want {%s, PendingDeletion, 30, %v}",
			aws.ToString(out.KeyId), out.KeyState, aws.ToInt32(out.PendingWindowInDays), aws.ToTime(out.DeletionDate), arn, deletion)
	}
	checkState(t, describe(t, c, id), types.KeyStatePendingDeletion, false, &deletion)

	// Refused while pending deletion: KMSInvalidStateException "<arn> is pending deletion."
	pending := arn + " is pending deletion."
	refused := map[string]func() error{
		"Sign":         func() error { _, err := sign(c, id); return err },
		"GetPublicKey": func() error { _, err := getPublicKey(c, id); return err },
		"Verify": func() error {
			_, err := c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: []byte("m"), Signature: []byte("s"),
				SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
			return err
		},
		"EnableKey": func() error {
			_, err := c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
			return err
		},
		"DisableKey": func() error {
			_, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
			return err
		},
		"ScheduleKeyDeletion again": func() error {
			_, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id)})
			return err
		},
		"UpdateKeyDescription": func() error {
			_, err := c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: aws.String("x")})
			return err
		},
		"TagResource": func() error {
			_, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id),
				Tags: []types.Tag{{TagKey: aws.String("k"), TagValue: aws.String("v")}}})
			return err
		},
		"CreateAlias": func() error {
			_, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/pending"), TargetKeyId: aws.String(id)})
			return err
		},
	}
	for name, call := range refused {
		t.Run(name, func(t *testing.T) {
			wantErr[*types.KMSInvalidStateException](t, call(), pending)
		})
	}
	// Allowed in every state.
	must(c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id)}))(t)
	must(c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)}))(t)

	cancel := must(c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)}))(t)
	if aws.ToString(cancel.KeyId) != arn {
		t.Errorf("CancelKeyDeletion KeyId = %q, want the key ARN %q", aws.ToString(cancel.KeyId), arn)
	}
	// The key comes back Disabled, not Enabled (AWS-BEHAVIOUR §5.3).
	checkState(t, describe(t, c, id), types.KeyStateDisabled, false, nil)
	_, err := sign(c, id)
	wantErr[*types.DisabledException](t, err, arn+" is disabled.")

	_, err = c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	wantErr[*types.KMSInvalidStateException](t, err, arn+" is not pending deletion.")
	must(c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)}))(t)
	_, err = c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(arn)})
	wantErr[*types.KMSInvalidStateException](t, err, arn+" is not pending deletion.")
	must(sign(c, id))(t)
}

func TestScheduleKeyDeletionWindow(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c := env.KMS()
	for _, days := range []int32{7, 15, 30} {
		k := createKey(t, c, "SYMMETRIC_DEFAULT", "")
		out := must(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: k.KeyId, PendingWindowInDays: aws.Int32(days)}))(t)
		want := t0.Add(time.Duration(days) * day)
		if aws.ToInt32(out.PendingWindowInDays) != days || !aws.ToTime(out.DeletionDate).Equal(want) {
			t.Errorf("window %d: PendingWindowInDays %d, DeletionDate %v; want %d, %v",
				days, aws.ToInt32(out.PendingWindowInDays), aws.ToTime(out.DeletionDate), days, want)
		}
		checkState(t, describe(t, c, aws.ToString(k.KeyId)), types.KeyStatePendingDeletion, false, &want)
	}
	// The model allows 1-365, KMS only 7-30. The message text is UNVERIFIED (§5.6).
	k := createKey(t, c, "SYMMETRIC_DEFAULT", "")
	for _, days := range []int32{0, 1, 6, 31, 365} {
		_, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: k.KeyId, PendingWindowInDays: aws.Int32(days)})
		wantValidationContaining(t, err, "pendingWindowInDays")
	}
	checkState(t, describe(t, c, aws.ToString(k.KeyId)), types.KeyStateEnabled, true, nil)
}

func TestKeyDeletedWhenDeletionDatePasses(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c := env.KMS()
	doomed := signingKey(t, c)
	kept := signingKey(t, c)
	id, arn := aws.ToString(doomed.KeyId), aws.ToString(doomed.Arn)
	for _, a := range []struct{ name, target string }{
		{"alias/doomed", id}, {"alias/doomed-2", id}, {"alias/kept", aws.ToString(kept.KeyId)},
	} {
		must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(a.name), TargetKeyId: aws.String(a.target)}))(t)
	}
	must(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)}))(t)

	// One second before the deletion date the key is still there, pending deletion.
	env.Server.Advance(7*day - time.Second)
	deletion := t0.Add(7 * day)
	checkState(t, describe(t, c, "alias/doomed"), types.KeyStatePendingDeletion, false, &deletion)
	if ids := listKeyIDs(t, c); !sameSet(ids, []string{id, aws.ToString(kept.KeyId)}) {
		t.Errorf("ListKeys before the deletion date = %v, want both keys", ids)
	}

	env.Server.Advance(time.Second)
	_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	wantErr[*types.NotFoundException](t, err, "Key '"+arn+"' does not exist")
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
	wantErr[*types.NotFoundException](t, err, "Key '"+arn+"' does not exist")
	_, err = c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	wantErr[*types.NotFoundException](t, err, "Key '"+arn+"' does not exist")
	// Its aliases went with it; the alias-not-found text is UNVERIFIED (§5.1).
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/doomed-2")})
	wantErrContaining[*types.NotFoundException](t, err, "alias/doomed-2")

	if ids := listKeyIDs(t, c); !sameSet(ids, []string{aws.ToString(kept.KeyId)}) {
		t.Errorf("ListKeys after the deletion date = %v, want only %s", ids, aws.ToString(kept.KeyId))
	}
	if names := aliasNames(listAliases(t, c, nil)); !sameSet(names, []string{"alias/kept"}) {
		t.Errorf("ListAliases after the deletion date = %v, want [alias/kept]", names)
	}
	checkState(t, describe(t, c, "alias/kept"), types.KeyStateEnabled, true, nil)
}

func TestDeletedKeyAliasNotFound(t *testing.T) {
	t.Parallel()
	// As above, but the first call after the deletion date goes through the alias: the alias must
	// be gone whichever call is the first to notice the deletion.
	env := newEnv(t)
	c := env.KMS()
	k := signingKey(t, c)
	must(c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/gone"), TargetKeyId: k.KeyId}))(t)
	must(c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: k.KeyId, PendingWindowInDays: aws.Int32(30)}))(t)
	env.Server.SetTime(t0.Add(31 * day))
	_, err := sign(c, "alias/gone")
	wantErrContaining[*types.NotFoundException](t, err, "alias/gone")
	_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/gone")})
	wantErrContaining[*types.NotFoundException](t, err, "alias/gone")
	if names := aliasNames(listAliases(t, c, nil)); len(names) != 0 {
		t.Errorf("ListAliases = %v, want none", names)
	}
}
