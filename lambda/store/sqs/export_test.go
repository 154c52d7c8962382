package sqs

import "time"

// SetClock makes the consumer read the time from now.
func (c *Consumer) SetClock(now func() time.Time) { c.now = now }
