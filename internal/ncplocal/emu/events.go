package emu

import (
	"context"
	"sync"
)

// Topic carries one kind of event from the service that publishes it to
// the services that follow it: VPC → VServer today (a VPC's default ACG),
// Object Storage → Cloud Functions and VOD Station → Global Edge next.
//
// Publish after the change is committed and outside every lock, so a
// subscriber sees the change and may update its own store: in a store
// transaction, call Publish from Tx.AfterCommit (PublishAfterCommit does
// that). Subscribers run synchronously, in the order they subscribed, in
// the publishing goroutine and with its context: what they change belongs
// to the same request, which the server answers once all of it is durable.
// A subscriber must not block for long.
type Topic[E any] struct {
	name string

	mu   sync.Mutex
	subs []subscription[E]
	next uint64
}

type subscription[E any] struct {
	id uint64
	fn func(ctx context.Context, ev E)
}

// NewTopic returns a topic; name ("vpc.vpc") is for diagnostics.
func NewTopic[E any](name string) *Topic[E] { return &Topic[E]{name: name} }

// Name returns the topic's name.
func (t *Topic[E]) Name() string { return t.name }

// Subscribe registers fn for every event published from now on and returns
// the function that removes it.
func (t *Topic[E]) Subscribe(fn func(ctx context.Context, ev E)) (unsubscribe func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	id := t.next
	t.next++
	t.subs = append(t.subs, subscription[E]{id: id, fn: fn})
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		for i, s := range t.subs {
			if s.id == id {
				t.subs = append(t.subs[:i:i], t.subs[i+1:]...)
				return
			}
		}
	}
}

// Publish calls every subscriber with ev.
func (t *Topic[E]) Publish(ctx context.Context, ev E) {
	t.mu.Lock()
	subs := append([]subscription[E](nil), t.subs...)
	t.mu.Unlock()
	for _, s := range subs {
		s.fn(ctx, ev)
	}
}

// PublishAfterCommit publishes ev on t once tx has committed, outside the
// store's lock; nothing is published when tx fails.
func PublishAfterCommit[E any](tx *Tx, t *Topic[E], ev E) {
	tx.AfterCommit(func(ctx context.Context) { t.Publish(ctx, ev) })
}
