package ncplocal

import (
	"maps"
	"sync"
)

// CallCounts is the JSON body of GET /_ncplocal/calls: per-operation call
// counts over all accounts and per account.
type CallCounts struct {
	Total    map[string]int            `json:"total"`
	Accounts map[string]map[string]int `json:"accounts"`
}

// callCounter counts served operations; safe for concurrent use.
type callCounter struct {
	mu        sync.Mutex
	total     map[string]int
	byAccount map[string]map[string]int
}

// add counts one call of op; account "" (caller unknown) counts in the total
// only.
func (c *callCounter) add(account, op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total == nil {
		c.total = map[string]int{}
		c.byAccount = map[string]map[string]int{}
	}
	c.total[op]++
	if account == "" {
		return
	}
	m := c.byAccount[account]
	if m == nil {
		m = map[string]int{}
		c.byAccount[account] = m
	}
	m[op]++
}

// counts returns a deep copy of the counters.
func (c *callCounter) counts() CallCounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := CallCounts{Total: maps.Clone(c.total), Accounts: make(map[string]map[string]int, len(c.byAccount))}
	if out.Total == nil {
		out.Total = map[string]int{}
	}
	for a, m := range c.byAccount {
		out.Accounts[a] = maps.Clone(m)
	}
	return out
}

func (c *callCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total, c.byAccount = nil, nil
}

// Calls returns the per-operation call counts over all accounts, e.g.
// {"vpc:getSubnetDetail": 3}. An operation is counted once its handler has
// returned; a service names it with emu.SetOperation, otherwise it is
// "<service>:<METHOD> <path>". Requests the gateway rejects count as
// OpAuthenticationFailed or OpNotFound; injected 429/503 faults are not
// calls (see the faults' "injected" count), while requests answered by a
// "reset" fault were served and do count.
func (s *Server) Calls() map[string]int { return s.calls.counts().Total }

// CallCounts returns the call counts in total and per account.
func (s *Server) CallCounts() CallCounts { return s.calls.counts() }

// ResetCalls sets all call counts to zero.
func (s *Server) ResetCalls() { s.calls.reset() }
