package ncplocal

import (
	"reflect"
	"sort"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// Inventory is every account's resources, as served by GET
// /_ncplocal/inventory: account ID → service name → that service's
// inventory. Services with nothing for an account, and accounts with
// nothing at all, are left out. encoding/json writes map keys sorted, so the
// JSON form is stable.
type Inventory struct {
	Accounts map[string]map[string]any `json:"accounts"`
}

// Inventory collects the inventory of every service for every account: the
// accounts of the server's credentials and those reported by services that
// implement emu.AccountLister.
func (s *Server) Inventory() Inventory {
	inv := Inventory{Accounts: map[string]map[string]any{}}
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, id := range s.keys.accounts() {
		add(id)
	}
	for _, svc := range s.services {
		if l, ok := svc.(emu.AccountLister); ok {
			for _, id := range l.Accounts() {
				add(id)
			}
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, svc := range s.services {
			v := svc.Inventory(id)
			if isNil(v) {
				continue
			}
			m := inv.Accounts[id]
			if m == nil {
				m = map[string]any{}
				inv.Accounts[id] = m
			}
			m[svc.Name()] = v
		}
	}
	return inv
}

// isNil reports whether v is nil or a nil map, slice, pointer or interface
// boxed in an any (a service returning a nil *T means "nothing" too).
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}
