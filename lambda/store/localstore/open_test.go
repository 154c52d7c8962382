package localstore

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// txID is the file's last committed transaction.
func txID(t *testing.T, s *Store) int {
	t.Helper()
	var id int
	if err := s.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAReopenCommitsNothing: a file with every bucket opens without a
// commit (an fsync the start would wait for); one that lacks a bucket, as
// a file of an older relay would, gets it.
func TestAReopenCommitsNothing(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	created := txID(t, s)
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketJournal) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketJournal) == nil {
			t.Error("the missing bucket was not created")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	complete := txID(t, s)
	if complete != created+2 {
		t.Errorf("transaction %d after the delete and the repair, want %d", complete, created+2)
	}
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if id := txID(t, s); id != complete {
		t.Errorf("a reopen committed: transaction %d, was %d", id, complete)
	}
}
