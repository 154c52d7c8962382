package ssmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/sivchari/kumo"
)

// Call is one request the SDK made.
type Call struct {
	Target         string // e.g. AmazonSSM.GetParameters
	Names          []string
	WithDecryption bool
}

// Emulator is SSM for one test. URL is the endpoint to give the SDK, for
// example as AWS_ENDPOINT_URL_SSM.
type Emulator struct {
	URL string
	// prefix keeps each emulator's parameters apart: kumo keeps its data in
	// the process, shared by every server it starts.
	prefix string

	mu    sync.Mutex
	calls []Call
}

// NewEmulator starts kumo and the recording proxy; both stop with the test.
func NewEmulator(t testing.TB) *Emulator {
	t.Helper()
	backend := kumo.NewServer()
	t.Cleanup(backend.Close)
	target, err := url.Parse(backend.URL)
	if err != nil {
		t.Fatal(err)
	}
	e := &Emulator{prefix: fmt.Sprintf("/test-%d", emulators.Add(1))}
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in struct {
			Name           string
			Names          []string
			WithDecryption bool
		}
		_ = json.Unmarshal(body, &in)
		if in.Name != "" {
			in.Names = append(in.Names, in.Name)
		}
		e.mu.Lock()
		e.calls = append(e.calls, Call{Target: r.Header.Get("X-Amz-Target"), Names: in.Names, WithDecryption: in.WithDecryption})
		e.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	e.URL = front.URL
	return e
}

var emulators atomic.Int64

// Name is a parameter name of this emulator's own: /test-N/short.
func (e *Emulator) Name(short string) string {
	return e.prefix + "/" + strings.TrimPrefix(short, "/")
}

// Client is a real SDK client pointed at the emulator.
func (e *Emulator) Client(t testing.TB) *awsssm.Client {
	t.Helper()
	return awsssm.New(awsssm.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	})
}

// Put stores a parameter.
func (e *Emulator) Put(t testing.TB, name, value string, typ types.ParameterType) {
	t.Helper()
	_, err := e.Client(t).PutParameter(context.Background(), &awsssm.PutParameterInput{
		Name: aws.String(name), Value: aws.String(value), Type: typ, Overwrite: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("PutParameter %s: %v", name, err)
	}
}

// Delete removes a parameter.
func (e *Emulator) Delete(t testing.TB, name string) {
	t.Helper()
	if _, err := e.Client(t).DeleteParameter(context.Background(), &awsssm.DeleteParameterInput{Name: aws.String(name)}); err != nil {
		t.Fatalf("DeleteParameter %s: %v", name, err)
	}
}

// Calls returns the calls recorded so far.
func (e *Emulator) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Call(nil), e.calls...)
}

// ResetCalls forgets the calls recorded so far (for example the set-up's).
func (e *Emulator) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = nil
}
