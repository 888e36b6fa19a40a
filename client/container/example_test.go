package container_test

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/testcontainers/testcontainers-go"

	"github.com/kms53/kms53/client/container"
)

// Run kms53 from the image scripts/build-image.sh builds and point aws-sdk-go-v2 clients of
// both services at it.
func ExampleRun() {
	ctx := context.Background()
	c, err := container.Run(ctx, "kms53:dev")
	defer func() {
		if err := testcontainers.TerminateContainer(c); err != nil {
			log.Printf("terminate: %v", err)
		}
	}()
	if err != nil {
		log.Printf("run kms53: %v", err)
		return
	}
	endpoint, err := c.Endpoint(ctx, "http") // http://127.0.0.1:PORT
	if err != nil {
		log.Printf("endpoint: %v", err)
		return
	}
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	kmsClient := kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = aws.String(endpoint) })
	r53Client := route53.NewFromConfig(cfg, func(o *route53.Options) { o.BaseEndpoint = aws.String(endpoint) })

	keys, err := kmsClient.ListKeys(ctx, &kms.ListKeysInput{})
	if err != nil {
		log.Printf("list keys: %v", err)
		return
	}
	zones, err := r53Client.ListHostedZones(ctx, &route53.ListHostedZonesInput{})
	if err != nil {
		log.Printf("list hosted zones: %v", err)
		return
	}
	fmt.Println(len(keys.Keys), "keys,", len(zones.HostedZones), "hosted zones")
}

// The hosted zones answer DNS on DNSAddress, over UDP.
func ExampleContainer_DNSAddress() {
	ctx := context.Background()
	c, err := container.Run(ctx, "kms53:dev")
	defer func() { _ = testcontainers.TerminateContainer(c) }()
	if err != nil {
		log.Printf("run kms53: %v", err)
		return
	}
	addr, err := c.DNSAddress(ctx) // 127.0.0.1:PORT, e.g. for miekg/dns's Client.Exchange
	if err != nil {
		log.Printf("dns address: %v", err)
		return
	}
	fmt.Println("dig -p", addr)
}

// Options set kms53's flags; WithConfig gives it identities whose access keys select IAM users
// and roles. A bad option fails Run before any container is made.
func ExampleWithConfig() {
	ctx := context.Background()
	c, err := container.Run(ctx, "kms53:dev",
		container.WithSigV4("strict"),
		container.WithConfig([]byte("identities:\n  - accessKeyId: AKIAOPERATOR\n    secretAccessKey: s3cret\n    arn: arn:aws:iam::111122223333:role/Operator\n")),
		container.WithAccount("42"), // not 12 digits
	)
	fmt.Println(c == nil, err)
	// Output: true kms53 option: account "42" is not 12 digits
}
