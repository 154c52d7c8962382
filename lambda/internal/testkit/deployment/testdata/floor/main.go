// Command floor is the least a Go relay can do, for make bench to measure
// the relay against in the same run. Locally it serves POST /clockify:
// checks the signing token, reads the entry, posts one line to the
// webhook and answers once Discord has. Under the Lambda runtime it is
// the minimal aws-lambda-go function: it answers 200 to any event.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

type entry struct {
	Description      string `json:"description"`
	CurrentlyRunning bool   `json:"currentlyRunning"`
	User             struct {
		Name string `json:"name"`
	} `json:"user"`
	Project *struct {
		Name       string `json:"name"`
		ClientName string `json:"clientName"`
	} `json:"project"`
}

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		lambda.Start(func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"status":"ok"}`}, nil
		})
		return
	}
	webhook, secret := os.Getenv("DISCORD_WEBHOOK_URL"), os.Getenv("CLOCKIFY_SIGNING_SECRETS")
	http.HandleFunc("POST /clockify", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Clockify-Signature") != secret {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var e entry
		if err := json.NewDecoder(r.Body).Decode(&e); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		project := ""
		if e.Project != nil {
			project = e.Project.ClientName + " - " + e.Project.Name
		}
		verb := "を開始しました."
		if !e.CurrentlyRunning {
			verb = "を終了しました. お疲れ様でした."
		}
		body, _ := json.Marshal(map[string]string{"content": e.User.Name + " が " + project + " " + e.Description + " " + verb})
		resp, err := http.Post(webhook, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, "discord", http.StatusBadGateway)
			return
		}
		resp.Body.Close()
		w.Write([]byte(`{"status":"delivered"}`))
	})
	if err := http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil); err != nil {
		panic(err)
	}
}
