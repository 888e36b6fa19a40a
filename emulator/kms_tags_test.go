package emulator_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{TagKey: aws.String(kv[i]), TagValue: aws.String(kv[i+1])})
	}
	return out
}

func manyTags(n int) []types.Tag {
	var kv []string
	for i := range n {
		kv = append(kv, fmt.Sprintf("key-%02d", i), fmt.Sprintf("value-%02d", i))
	}
	return tags(kv...)
}

// listTags returns a key's tags as a map, following markers.
func listTags(t testing.TB, c *kms.Client, keyID *string) map[string]string {
	t.Helper()
	out := map[string]string{}
	p := kms.NewListResourceTagsPaginator(c, &kms.ListResourceTagsInput{KeyId: keyID})
	for p.HasMorePages() {
		for _, tag := range must(p.NextPage(ctx))(t).Tags {
			out[aws.ToString(tag.TagKey)] = aws.ToString(tag.TagValue)
		}
	}
	return out
}

func TestTags(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := must(c.CreateKey(ctx, &kms.CreateKeyInput{Tags: tags("team", "dns", "env", "test")}))(t).KeyMetadata
	want := map[string]string{"team": "dns", "env": "test"}
	if got := listTags(t, c, k.KeyId); !maps.Equal(got, want) {
		t.Errorf("tags after CreateKey = %v, want %v", got, want)
	}

	// TagResource adds keys and replaces values; an empty value is a value.
	must(c.TagResource(ctx, &kms.TagResourceInput{KeyId: k.Arn, Tags: tags("env", "prod", "empty", "")}))(t)
	want = map[string]string{"team": "dns", "env": "prod", "empty": ""}
	if got := listTags(t, c, k.KeyId); !maps.Equal(got, want) {
		t.Errorf("tags after TagResource = %v, want %v", got, want)
	}

	// UntagResource removes keys; keys the key does not have are ignored.
	must(c.UntagResource(ctx, &kms.UntagResourceInput{KeyId: k.KeyId, TagKeys: []string{"team", "never-set"}}))(t)
	want = map[string]string{"env": "prod", "empty": ""}
	if got := listTags(t, c, k.Arn); !maps.Equal(got, want) {
		t.Errorf("tags after UntagResource = %v, want %v", got, want)
	}

	// Tags are case sensitive.
	must(c.TagResource(ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: tags("Env", "upper")}))(t)
	if got := listTags(t, c, k.KeyId); got["Env"] != "upper" || got["env"] != "prod" {
		t.Errorf("tags = %v, want Env and env apart", got)
	}
}

func TestTagsRefused(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := createKey(t, c, "SYMMETRIC_DEFAULT", "")
	tagKey := func(tt []types.Tag) error {
		_, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: tt})
		return err
	}
	createKey := func(tt []types.Tag) error {
		_, err := c.CreateKey(ctx, &kms.CreateKeyInput{Tags: tt})
		return err
	}
	for name, call := range map[string]func([]types.Tag) error{"TagResource": tagKey, "CreateKey": createKey} {
		t.Run(name, func(t *testing.T) {
			for _, reserved := range []string{"aws:owner", "AWS:owner", "Aws:x"} {
				wantErr[*types.TagException](t, call(tags(reserved, "v")), "Tags beginning with aws: are reserved")
			}
			wantErr[*types.TagException](t, call(tags("dup", "1", "dup", "2")), "Duplicate tag keys")
			wantErr[*types.TagException](t, call(manyTags(51)), "Too many tags")
			long := strings.Repeat("v", 257)
			wantValidation(t, call(tags("k", long)), "1 validation error detected: Value '"+long+
				"' at 'tags.1.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256")
			wantValidationContaining(t, call(tags("ok", "v", strings.Repeat("k", 129), "v")), "'tags.2.member.tagKey'", "128")
			wantValidationContaining(t, call(tags("", "v")), "'tags.1.member.tagKey'")
		})
	}
	if got := listTags(t, c, k.KeyId); len(got) != 0 {
		t.Errorf("refused TagResource calls left tags: %v", got)
	}
	if ids := listKeyIDs(t, c); len(ids) != 1 {
		t.Errorf("refused CreateKey calls left keys: %v", ids)
	}

	// 50 tags is the limit, counted over the tags the key has already.
	must(c.TagResource(ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: manyTags(50)}))(t)
	must(c.TagResource(ctx, &kms.TagResourceInput{KeyId: k.KeyId, Tags: tags("key-00", "replaced")}))(t)
	wantErr[*types.TagException](t, tagKey(tags("one-more", "v")), "Too many tags")
	if got := listTags(t, c, k.KeyId); len(got) != 50 || got["key-00"] != "replaced" {
		t.Errorf("%d tags, key-00 = %q; want 50 tags, key-00 = replaced", len(got), got["key-00"])
	}
	must(c.CreateKey(ctx, &kms.CreateKeyInput{Tags: manyTags(50)}))(t)
}

func TestListResourceTagsPagination(t *testing.T) {
	t.Parallel()
	c := newEnv(t).KMS()
	k := must(c.CreateKey(ctx, &kms.CreateKeyInput{Tags: manyTags(7)}))(t).KeyMetadata
	want := map[string]string{}
	for _, tag := range manyTags(7) {
		want[aws.ToString(tag.TagKey)] = aws.ToString(tag.TagValue)
	}

	got := map[string]string{}
	var marker *string
	var sizes []int
	for {
		out := must(c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: k.KeyId, Limit: aws.Int32(3), Marker: marker}))(t)
		sizes = append(sizes, len(out.Tags))
		for _, tag := range out.Tags {
			if _, dup := got[aws.ToString(tag.TagKey)]; dup {
				t.Errorf("tag %s listed twice", aws.ToString(tag.TagKey))
			}
			got[aws.ToString(tag.TagKey)] = aws.ToString(tag.TagValue)
		}
		if out.Truncated != (out.NextMarker != nil) {
			t.Fatalf("Truncated %v with NextMarker %v", out.Truncated, aws.ToString(out.NextMarker))
		}
		if !out.Truncated {
			break
		}
		marker = out.NextMarker
	}
	if fmt.Sprint(sizes) != "[3 3 1]" || !maps.Equal(got, want) {
		t.Errorf("pages of %v holding %v, want pages of [3 3 1] holding %v", sizes, got, want)
	}

	_, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: k.KeyId, Marker: aws.String("not a marker!")})
	asErr[*types.InvalidMarkerException](t, err)
	_, err = c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: k.KeyId, Limit: aws.Int32(0)})
	wantValidationContaining(t, err, "'limit'")
	const unknown = "0b5a0ba4-8ad8-4f6e-a3b5-0c1dfe3b2f7a"
	_, err = c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(unknown)})
	wantErr[*types.NotFoundException](t, err, "Key '"+keyARN(defaultRegion, defaultAccount, unknown)+"' does not exist")
}
