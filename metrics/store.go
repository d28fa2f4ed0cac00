package metrics

import (
	"context"
	"time"

	"github.com/gatehouse-dev/gatehouse"
)

// Store is a gatehouse.Store that measures the duration of every
// transaction of the store it wraps. Revision and Close pass through.
type Store struct {
	gatehouse.Store
	m *Metrics
}

var _ gatehouse.Store = (*Store)(nil)

// WrapStore returns s measured into m's store transaction histogram.
func (m *Metrics) WrapStore(s gatehouse.Store) *Store {
	return &Store{Store: s, m: m}
}

// View runs fn in a read transaction of the wrapped store and observes
// its duration.
func (s *Store) View(ctx context.Context, fn func(tx gatehouse.Tx) error) error {
	start := time.Now()
	err := s.Store.View(ctx, fn)
	s.m.storeView.Observe(time.Since(start).Seconds())
	return err
}

// Update runs fn in a write transaction of the wrapped store and
// observes its duration.
func (s *Store) Update(ctx context.Context, fn func(tx gatehouse.Tx) error) error {
	start := time.Now()
	err := s.Store.Update(ctx, fn)
	s.m.storeUpdate.Observe(time.Since(start).Seconds())
	return err
}
