package container

import (
	"bytes"
	"fmt"
	"os"
	"regexp"

	"github.com/testcontainers/testcontainers-go"

	"github.com/kms53/kms53/emulator"
)

// options are what the Options of Run set: the kms53 flags beyond the listen addresses.
type options struct {
	account string // -account; "" keeps kms53's default
	region  string // -region
	sigv4   string // -sigv4
	config  []byte // the -config YAML, copied into the container; nil: none
}

// args returns the kms53 flags that o sets, after the listen addresses.
func (o options) args() []string {
	var args []string
	for _, f := range []struct{ name, value string }{{"-account", o.account}, {"-region", o.region}, {"-sigv4", o.sigv4}} {
		if f.value != "" {
			args = append(args, f.name, f.value)
		}
	}
	if o.config != nil {
		args = append(args, "-config", configPath)
	}
	return args
}

// Compile-time check that an Option can be passed to Run among other customizers.
var _ testcontainers.ContainerCustomizer = (Option)(nil)

// Option sets a kms53 flag of the container Run starts. It is a testcontainers.ContainerCustomizer,
// so Options mix with testcontainers' own customizers in Run's arguments.
type Option func(*options) error

// Customize does nothing: Run reads Options itself. It satisfies
// testcontainers.ContainerCustomizer.
func (o Option) Customize(*testcontainers.GenericContainerRequest) error { return nil }

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// WithAccount sets the default AWS account (-account): the account of callers whose access key
// names none. kms53's default is 111122223333.
func WithAccount(id string) Option {
	return func(o *options) error {
		if !accountID.MatchString(id) {
			return fmt.Errorf("account %q is not 12 digits", id)
		}
		o.account = id
		return nil
	}
}

// WithRegion sets the region of requests whose SigV4 credential names none (-region). kms53's
// default is us-east-1.
func WithRegion(region string) Option {
	return func(o *options) error {
		if region == "" {
			return fmt.Errorf("empty region")
		}
		o.region = region
		return nil
	}
}

// WithSigV4 sets how kms53 treats SigV4 signatures (-sigv4): "relaxed" (the default) reads the
// access key and does not check the signature; "strict" verifies it and refuses unknown access
// keys, as AWS does.
func WithSigV4(mode string) Option {
	return func(o *options) error {
		if mode != "relaxed" && mode != "strict" {
			return fmt.Errorf("sigv4 mode %q is neither relaxed nor strict", mode)
		}
		o.sigv4 = mode
		return nil
	}
}

// WithConfig copies a kms53 -config YAML document (identities with their access keys and IAM
// policies; see the kms53 README) into the container and passes it to kms53. Run checks it first
// with emulator.ParseConfig, so a mistake fails Run with kms53's own message.
func WithConfig(yaml []byte) Option {
	return func(o *options) error {
		if _, err := emulator.ParseConfig(yaml); err != nil {
			return err
		}
		o.config = bytes.Clone(yaml)
		return nil
	}
}

// WithConfigFile is WithConfig with the YAML read from the file at path.
func WithConfigFile(path string) Option {
	return func(o *options) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := WithConfig(data)(o); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	}
}
