package choice

import (
	"testing"

	"clockify-discord-relay/lambda/store/dynamodb"
	"clockify-discord-relay/lambda/store/localstore"
)

// TestEveryStoreKeepsAJournal: the deliverer finds the send journal
// beside either store, so that no job is posted twice after a crash.
func TestEveryStoreKeepsAJournal(t *testing.T) {
	local, err := localstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	if j := Journal(local.State); j != local.Journal {
		t.Errorf("the local store's journal: %v", j)
	}
	table := dynamodb.New(nil, "relay-state")
	if j := Journal(table.State); j != table.Journal {
		t.Errorf("the state table's journal: %v", j)
	}
}
