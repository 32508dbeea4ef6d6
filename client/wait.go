package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// WaitOptions tune Wait.
type WaitOptions struct {
	// OnStatus, when set, is called with the job at each status change
	// seen (and once at the start).
	OnStatus func(*Job)
	// PollInterval is the wait between polls when the event stream is not
	// available; 0 means 200 ms.
	PollInterval time.Duration
	// NoStream skips the event stream and polls.
	NoStream bool
}

// Wait follows a job until it reaches a terminal status and returns it. It
// reads the job's Server-Sent Events and falls back to polling when the
// stream cannot be opened or breaks. Errors from the server (such as 404)
// are returned as they are.
func (c *Client) Wait(ctx context.Context, id string, o WaitOptions) (*Job, error) {
	var last *Job
	seen := func(j *Job) {
		if o.OnStatus != nil && (last == nil || last.Status != j.Status || last.CancelRequested != j.CancelRequested || last.Attempt != j.Attempt) {
			o.OnStatus(j)
		}
		last = j
	}
	if !o.NoStream {
		j, err := c.stream(ctx, id, seen)
		var apiErr *Error
		switch {
		case err == nil:
			return j, nil
		case errors.As(err, &apiErr) && apiErr.Status != http.StatusNotAcceptable && apiErr.Status < 500:
			return nil, err
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		// The stream broke or is unavailable: poll.
	}
	every := o.PollInterval
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	for {
		j, err := c.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		seen(j)
		if j.Status.Terminal() {
			return j, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(every):
		}
	}
}

// stream reads the job's event stream until a terminal status.
func (c *Client) stream(ctx context.Context, id string, seen func(*Job)) (*Job, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/v1/jobs/"+url.PathEscape(id)+"/events", nil, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("opening event stream: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, decodeError(resp)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return nil, fmt.Errorf("event stream: unexpected content type %q", resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var event, data string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if event == "status" && data != "" {
				var j Job
				if err := json.Unmarshal([]byte(data), &j); err != nil {
					return nil, fmt.Errorf("event stream: decoding job: %w", err)
				}
				seen(&j)
				if j.Status.Terminal() {
					return &j, nil
				}
			}
			event, data = "", ""
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			d := strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
			if data != "" {
				data += "\n"
			}
			data += d
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("event stream: %w", err)
	}
	return nil, errors.New("event stream ended before the job finished")
}
