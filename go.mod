module github.com/kms53/kms53

go 1.26.8

require (
	github.com/aws/aws-sdk-go-v2/service/kms v1.63.0
	github.com/gorilla/mux v1.8.1
)

require github.com/aws/smithy-go v1.28.9 // indirect
