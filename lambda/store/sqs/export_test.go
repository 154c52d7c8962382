package sqs

import "time"

// SetClock makes the consumer read the time from now.
func (c *Consumer) SetClock(now func() time.Time) { c.now = now }

// SetListVisibility shortens how long List hides what it has read.
func (d *DeadLetters) SetListVisibility(v time.Duration) { d.visibility = v }
