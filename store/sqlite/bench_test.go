package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/store/sqlite"
)

// benchStore is a kind of store the benchmarks run on.
type benchStore struct {
	name string
	path func(b *testing.B) string
}

func benchStores() []benchStore {
	return []benchStore{
		{"Memory", func(*testing.B) string { return sqlite.MemoryPath }},
		{"File", func(b *testing.B) string { return tempPath(b) }},
	}
}

func BenchmarkUpdateCreateUser(b *testing.B) {
	for _, bs := range benchStores() {
		b.Run(bs.name, func(b *testing.B) {
			s := MustOpen(b, bs.path(b))
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				name := fmt.Sprintf("user%07d", i)
				i++
				err := s.Update(ctx, func(tx gatehouse.Tx) error {
					return tx.CreateUser(&gatehouse.User{AccountID: acct, Name: name, ID: "AIDA" + name, Path: "/"})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkViewUser(b *testing.B) {
	const users = 1000
	for _, bs := range benchStores() {
		b.Run(bs.name, func(b *testing.B) {
			s := MustOpen(b, bs.path(b))
			mustUpdate(b, s, func(tx gatehouse.Tx) error {
				for i := range users {
					name := fmt.Sprintf("user%07d", i)
					u := &gatehouse.User{AccountID: acct, Name: name, ID: "AIDA" + name, Path: "/",
						Tags: []gatehouse.Tag{{Key: "team", Value: "core"}}}
					if err := tx.CreateUser(u); err != nil {
						return err
					}
				}
				return nil
			})
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				err := s.View(ctx, func(tx gatehouse.Tx) error {
					_, err := tx.User(acct, "USER0000500")
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
