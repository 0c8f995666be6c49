package client

import (
	"context"
	"sync"
	"time"
)

// pacer is the throttling state one Client shares among all its requests:
// when a host answers "slow down" (see decision.throttled), every request
// of the client to that host, first attempts, retries and waiters' polls
// alike, waits until the pause has passed, not only the request that got
// the answer. Hosts are paced apart: the Object Storage throttling one
// bucket operation says nothing about the API Gateway's limits.
type pacer struct {
	mu     sync.Mutex
	until  map[string]time.Time // host -> end of its pause
	now    func() time.Time
	jitter func(n int64) int64 // uniform in [0, n)
	// sleep waits d or until ctx ends; replaced in tests.
	sleep func(ctx context.Context, d time.Duration) error
}

func newPacer(jitter func(int64) int64) *pacer {
	return &pacer{until: map[string]time.Time{}, now: time.Now, jitter: jitter, sleep: sleepCtx}
}

// throttled pauses host for pause from now on; a longer pause already in
// force stays.
func (p *pacer) throttled(host string, pause time.Duration) {
	if pause <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	end := p.now().Add(pause)
	if end.After(p.until[host]) {
		p.until[host] = end
	}
}

// remaining is how long host stays paused; zero when it is not.
func (p *pacer) remaining(host string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	end, ok := p.until[host]
	if !ok {
		return 0
	}
	d := end.Sub(p.now())
	if d <= 0 {
		delete(p.until, host)
		return 0
	}
	return d
}

// wait blocks while host is paused, plus a random quarter of the pause at
// most, so that the requests a pause held back do not all go out in the
// same instant. It returns how long it waited, or ctx's error when ctx
// ended first. A pause extended while waiting is waited out too.
func (p *pacer) wait(ctx context.Context, host string) (time.Duration, error) {
	var waited time.Duration
	for {
		d := p.remaining(host)
		if d <= 0 {
			return waited, nil
		}
		d += time.Duration(p.jitter(int64(d/4) + 1))
		if err := p.sleep(ctx, d); err != nil {
			return waited, err
		}
		waited += d
	}
}

// sleepCtx waits d, or until ctx ends (returning its error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
