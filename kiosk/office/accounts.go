package office

import (
	"context"

	"github.com/scuola/kiosk/kiosk/office/store"
	"github.com/scuola/kiosk/privacy/access"
)

// AddAccount makes a staff account with an argon2id hash of its password
// (`kiosk office user add`, and the demo's account). Errors are in
// English: the command line says them.
func AddAccount(ctx context.Context, st *store.Store, cost access.Argon2, actor, name string, role store.Role, password string) error {
	if err := access.CheckName(name); err != nil {
		return err
	}
	if _, err := store.ParseRole(string(role)); err != nil {
		return err
	}
	if err := access.CheckPassword(password); err != nil {
		return err
	}
	if cost == (access.Argon2{}) {
		cost = access.DefaultArgon2
	}
	phc, err := cost.Hash(password)
	if err != nil {
		return err
	}
	return st.Update(ctx, actor, func(tx *store.Tx) error { return tx.AddAccount(ctx, name, role, phc) })
}
