package subcommand

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/sqs"
)

// DeadLetters runs "dlq list" or "dlq redrive": on the SQS dead-letter
// queue when DEAD_LETTER_QUEUE_URL is set, else on the local store.
func DeadLetters(ctx context.Context, p Parts, cmd string) error {
	if p.Settings.DeadLetterQueueURL != "" {
		dl := sqs.NewDeadLetters(p.SQS, p.Settings.DeadLetterQueueURL, p.Settings.DeliveryQueueURL)
		if cmd == "redrive" {
			if p.Settings.DeliveryQueueURL == "" {
				return fmt.Errorf("dlq redrive: DELIVERY_QUEUE_URL is not set")
			}
			n, err := dl.Redrive(ctx)
			fmt.Fprintf(p.Out, "redrove %d dead letters to %s\n", n, p.Settings.DeliveryQueueURL)
			return err
		}
		letters, total, err := dl.List(ctx)
		if err != nil {
			return err
		}
		return printLetters(p.Out, letters, total)
	}
	store, closeStore, err := p.Local()
	if err != nil {
		return err
	}
	defer closeStore()
	if cmd == "redrive" {
		n, err := store.Redrive(time.Now())
		fmt.Fprintf(p.Out, "redrove %d dead letters; the relay delivers them when it runs (make run)\n", n)
		return err
	}
	letters, err := store.DeadLetters()
	if err != nil {
		return err
	}
	return printLetters(p.Out, letters, len(letters))
}

// printLetters writes one JSON line per dead letter, then a summary. A
// letter names its route, never a webhook URL.
func printLetters(out io.Writer, letters []queue.DeadLetter, total int) error {
	enc := json.NewEncoder(out)
	for _, l := range letters {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(out, "%d dead letters (%d shown)\n", total, len(letters))
	return err
}
