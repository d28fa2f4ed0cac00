package gatehouse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
)

// accountReader is a narrow Tx a consumer might declare.
type accountReader interface {
	Account(id string) (*gatehouse.Account, error)
}

// notATx has a method no Tx has.
type notATx interface {
	Launch() error
}

// fakeStore runs fn with a nil-embedding Tx that answers Account.
type fakeStore struct{ gatehouse.Store }

type fakeTx struct{ gatehouse.Tx }

func (fakeTx) Account(id string) (*gatehouse.Account, error) { return &gatehouse.Account{ID: id}, nil }

func (fakeStore) View(_ context.Context, fn func(gatehouse.Tx) error) error   { return fn(fakeTx{}) }
func (fakeStore) Update(_ context.Context, fn func(gatehouse.Tx) error) error { return fn(fakeTx{}) }

func TestNarrow(t *testing.T) {
	s := gatehouse.Narrow[accountReader](fakeStore{})
	for name, run := range map[string]func(context.Context, func(accountReader) error) error{"View": s.View, "Update": s.Update} {
		var got string
		err := run(context.Background(), func(tx accountReader) error {
			a, err := tx.Account("123456789012")
			got = a.ID
			return err
		})
		if err != nil || got != "123456789012" {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
}

func TestNarrowRefusesWhatTxDoesNotHave(t *testing.T) {
	for name, narrow := range map[string]func(){
		"method Tx lacks":  func() { gatehouse.Narrow[notATx](fakeStore{}) },
		"not an interface": func() { gatehouse.Narrow[string](fakeStore{}) },
	} {
		func() {
			defer func() {
				if v := recover(); v == nil || !strings.Contains(v.(string), "Tx does not implement") {
					t.Errorf("%s: recovered %v, want a panic", name, v)
				}
			}()
			narrow()
		}()
	}
}
