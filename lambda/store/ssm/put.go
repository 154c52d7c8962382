package ssm

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Writer is the part of the SSM client that writes. It is apart from API so
// that the Lambda, which only reads, does not link the writing code.
type Writer interface {
	PutParameter(ctx context.Context, in *awsssm.PutParameterInput, opts ...func(*awsssm.Options)) (*awsssm.PutParameterOutput, error)
}

// PutSecret writes value as a SecureString, replacing what was there. The
// value never appears in errors.
func PutSecret(ctx context.Context, w Writer, name, value string) error {
	_, err := w.PutParameter(ctx, &awsssm.PutParameterInput{
		Name:      aws.String(name),
		Value:     aws.String(value),
		Type:      types.ParameterTypeSecureString,
		Overwrite: aws.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("ssm: writing parameter %s: %w", name, err)
	}
	return nil
}
