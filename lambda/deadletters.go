package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"clockify-discord-relay/lambda/queue"
	"clockify-discord-relay/lambda/store/sqs"
)

// deadLetters runs "dlq list" or "dlq redrive": on the SQS dead-letter
// queue when DEAD_LETTER_QUEUE_URL is set, else on the local store.
func deadLetters(ctx context.Context, w *wiring, cmd string) error {
	if w.s.DeadLetterQueueURL != "" {
		dl := sqs.NewDeadLetters(w.sqs, w.s.DeadLetterQueueURL, w.s.DeliveryQueueURL)
		if cmd == "redrive" {
			if w.s.DeliveryQueueURL == "" {
				return fmt.Errorf("dlq redrive: DELIVERY_QUEUE_URL is not set")
			}
			n, err := dl.Redrive(ctx)
			fmt.Fprintf(w.stdout, "redrove %d dead letters to %s\n", n, w.s.DeliveryQueueURL)
			return err
		}
		letters, total, err := dl.List(ctx)
		if err != nil {
			return err
		}
		return printLetters(w, letters, total)
	}
	store, closeStore, err := w.stores().localStore()
	if err != nil {
		return err
	}
	defer closeStore()
	if cmd == "redrive" {
		n, err := store.Redrive(time.Now())
		fmt.Fprintf(w.stdout, "redrove %d dead letters; the relay delivers them when it runs (make run)\n", n)
		return err
	}
	letters, err := store.DeadLetters()
	if err != nil {
		return err
	}
	return printLetters(w, letters, len(letters))
}

// printLetters writes one JSON line per dead letter, then a summary. A
// letter names its route, never a webhook URL.
func printLetters(w *wiring, letters []queue.DeadLetter, total int) error {
	enc := json.NewEncoder(w.stdout)
	for _, l := range letters {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w.stdout, "%d dead letters (%d shown)\n", total, len(letters))
	return err
}
