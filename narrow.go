package gatehouse

import (
	"context"
	"fmt"
	"reflect"
)

// TxStore is a Store whose transactions its consumer sees through T: a
// narrow interface the consumer (a service package) declares with the
// Tx methods it uses, so that it depends on those alone. Build one with
// Narrow.
type TxStore[T any] struct {
	store Store
}

// Narrow returns s seen through T. T must be an interface that Tx
// implements; Narrow panics otherwise (a programming error, caught when
// the server is wired up).
func Narrow[T any](s Store) *TxStore[T] {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Interface || !reflect.TypeFor[Tx]().Implements(t) {
		panic(fmt.Sprintf("gatehouse.Narrow: Tx does not implement %v", t))
	}
	return &TxStore[T]{store: s}
}

// Update runs fn in a read-write transaction (Store.Update).
func (s *TxStore[T]) Update(ctx context.Context, fn func(tx T) error) error {
	return s.store.Update(ctx, func(tx Tx) error { return fn(tx.(T)) })
}

// View runs fn in a read-only transaction (Store.View).
func (s *TxStore[T]) View(ctx context.Context, fn func(tx T) error) error {
	return s.store.View(ctx, func(tx Tx) error { return fn(tx.(T)) })
}

// Revision returns the store's revision (Store.Revision).
func (s *TxStore[T]) Revision(ctx context.Context) (int64, error) {
	return s.store.Revision(ctx)
}
