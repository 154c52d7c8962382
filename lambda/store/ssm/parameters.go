package ssm

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
)

// maxNamesPerCall is GetParameters' limit.
const maxNamesPerCall = 10

// API is the part of the SSM client the relay uses.
type API interface {
	GetParameters(ctx context.Context, in *awsssm.GetParametersInput, opts ...func(*awsssm.Options)) (*awsssm.GetParametersOutput, error)
}

// Parameters reads parameters by name.
type Parameters struct {
	api API
}

// New returns a reader that calls api.
func New(api API) *Parameters { return &Parameters{api: api} }

// Get reads the named parameters in one round trip, decrypting
// SecureStrings. A name that does not exist is an error that names it; the
// values never appear in errors.
func (p *Parameters) Get(ctx context.Context, names ...string) (map[string]string, error) {
	if len(names) == 0 {
		return map[string]string{}, nil
	}
	if len(names) > maxNamesPerCall {
		return nil, fmt.Errorf("ssm: at most %d parameters can be read at once", maxNamesPerCall)
	}
	out, err := p.api.GetParameters(ctx, &awsssm.GetParametersInput{
		Names:          names,
		WithDecryption: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("ssm: reading parameters %s: %w", strings.Join(names, ", "), err)
	}
	if len(out.InvalidParameters) > 0 {
		return nil, fmt.Errorf("ssm: parameters not found: %s", strings.Join(out.InvalidParameters, ", "))
	}
	values := make(map[string]string, len(out.Parameters))
	for _, prm := range out.Parameters {
		values[aws.ToString(prm.Name)] = aws.ToString(prm.Value)
		if prm.ARN != nil { // a name given as an ARN comes back as a plain name
			values[*prm.ARN] = aws.ToString(prm.Value)
		}
	}
	for _, n := range names {
		if _, ok := values[n]; !ok {
			return nil, fmt.Errorf("ssm: parameter %s was not returned", n)
		}
	}
	return values, nil
}
