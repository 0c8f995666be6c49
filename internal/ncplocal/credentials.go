package ncplocal

import (
	"fmt"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// Credential is one access key the emulator accepts. Requests signed with
// AccessKey/SecretKey act as account AccountID; when AccountID is empty the
// access key itself is the account. Two credentials with the same AccountID
// share one account (like a main account and its sub-account keys).
type Credential struct {
	AccessKey string `json:"accessKey"`
	SecretKey string `json:"-"`
	AccountID string `json:"accountId,omitempty"`
}

// DefaultCredential is the key pair a server accepts when Options.Credentials
// is empty.
var DefaultCredential = Credential{
	AccessKey: "ncplocal-access-key",
	SecretKey: "ncplocal-secret-key",
	AccountID: "ncplocal",
}

// account returns the emulated account of c.
func (c Credential) account() emu.Account {
	id := c.AccountID
	if id == "" {
		id = c.AccessKey
	}
	return emu.Account{ID: id, AccessKey: c.AccessKey}
}

// ParseCredentials reads a comma-separated list of "AK:SK" or
// "AK:SK:ACCOUNT" entries, the format of the ncplocal -credentials flag.
// Blank entries are ignored; an entry with an empty key or secret, or with
// more than three fields, is an error naming the entry (by position, so that
// secrets are not echoed).
func ParseCredentials(s string) ([]Credential, error) {
	var out []Credential
	for i, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		parts := strings.Split(entry, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return nil, fmt.Errorf("credential %d: want ACCESS_KEY:SECRET_KEY[:ACCOUNT], got %d field(s)", i+1, len(parts))
		}
		c := Credential{AccessKey: parts[0], SecretKey: parts[1]}
		if len(parts) == 3 {
			c.AccountID = parts[2]
		}
		if c.AccessKey == "" || c.SecretKey == "" {
			return nil, fmt.Errorf("credential %d: access key and secret key must not be empty", i+1)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no credentials given")
	}
	return out, nil
}

// keyring maps access keys to credentials. It is built once in New and only
// read afterwards, so it needs no lock.
type keyring map[string]Credential

func newKeyring(creds []Credential) (keyring, error) {
	if len(creds) == 0 {
		creds = []Credential{DefaultCredential}
	}
	k := make(keyring, len(creds))
	for i, c := range creds {
		if c.AccessKey == "" || c.SecretKey == "" {
			return nil, fmt.Errorf("ncplocal: credential %d: access key and secret key must not be empty", i)
		}
		if _, dup := k[c.AccessKey]; dup {
			return nil, fmt.Errorf("ncplocal: credential %d: access key %q is listed twice", i, c.AccessKey)
		}
		k[c.AccessKey] = c
	}
	return k, nil
}

// lookup is emu.Env.LookupKey.
func (k keyring) lookup(accessKey string) (string, emu.Account, bool) {
	c, ok := k[accessKey]
	if !ok {
		return "", emu.Account{}, false
	}
	return c.SecretKey, c.account(), true
}

// accounts returns the distinct account IDs, in no particular order.
func (k keyring) accounts() []string {
	seen := map[string]bool{}
	var ids []string
	for _, c := range k {
		id := c.account().ID
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}
