package cloudfunctions

import (
	"slices"
	"strconv"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// page is an activation list query.
type page struct {
	no, size   int
	start, end int64 // ms epoch, inclusive
}

// readPage reads pageNo, pageSize, start and end (§4.1): start and end are
// ms epoch in v2.1 and "yyyy-MM-ddTHH:mm:ss" KST in v2.0; the default
// window is the last month, and a start before it is moved up to it [?]
// (only the last month can be queried).
func readPage(c *rest.Call, api api, now time.Time) (page, error) {
	p := page{no: wire.DefaultPageNo, size: wire.DefaultPageSize}
	intParam := func(name string, def, lo, hi int) (int, error) {
		v := c.Query(name)
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return 0, cfErrorf(wire.CodeInvalidQuery, "%s must be an integer from %d to %d, not %q", name, lo, hi, v)
		}
		return n, nil
	}
	var err error
	if p.no, err = intParam(wire.ParamPageNo, wire.DefaultPageNo, 1, 1<<30); err != nil {
		return p, err
	}
	if p.size, err = intParam(wire.ParamPageSize, wire.DefaultPageSize, 1, wire.MaxPageSize); err != nil {
		return p, err
	}
	oldest := now.Add(-wire.ActivationRetention).UnixMilli()
	timeParam := func(name string, def int64) (int64, error) {
		v := c.Query(name)
		if v == "" {
			return def, nil
		}
		if api.v20 {
			t, err := time.ParseInLocation(wire.TimeLayoutV20, v, wire.CronLocation)
			if err != nil {
				return 0, cfErrorf(wire.CodeInvalidQuery, "%s must be yyyy-MM-ddTHH:mm:ss (KST) in API v2.0, not %q", name, v)
			}
			return t.UnixMilli(), nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, cfErrorf(wire.CodeInvalidQuery, "%s must be a time in ms since the epoch, not %q", name, v)
		}
		return n, nil
	}
	if p.start, err = timeParam(wire.ParamStart, oldest); err != nil {
		return p, err
	}
	if p.end, err = timeParam(wire.ParamEnd, now.UnixMilli()); err != nil {
		return p, err
	}
	p.start = max(p.start, oldest)
	if p.end < p.start {
		return p, cfErrorf(wire.CodeInvalidQuery, "end (%d) is before start (%d), or before the last month", p.end, p.start)
	}
	return p, nil
}

// listActivationsWhere answers one page of the finished activations of
// the request's platform that keep says yes to, newest first.
func (s *Service) listActivationsWhere(c *rest.Call, api api, check func(tx *emu.Tx) error, keep func(r activationRecord) bool) error {
	p, err := readPage(c, api, s.env.Time())
	if err != nil {
		return err
	}
	var all []wire.Activation
	err = s.store.View(func(tx *emu.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		for _, r := range s.activations.List(tx, c.AccountID) {
			if r.Done && r.Platform == api.platform && r.Start >= p.start && r.Start <= p.end && keep(r) {
				all = append(all, activationView(c.AccountID, r))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Reverse(all)
	items := rest.Page(all, p.no, p.size)
	return c.OK(wire.ActivationList{Activations: items, TotalCount: len(all)})
}

func noCheck(*emu.Tx) error { return nil }

func (s *Service) listActivations(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	return s.listActivationsWhere(c, api, noCheck, func(activationRecord) bool { return true })
}

func (s *Service) listActionActivations(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	pkg, name := c.Path("packageName"), c.Path("actionName")
	return s.listActivationsWhere(c, api, func(tx *emu.Tx) error {
		_, err := s.findAction(tx, c.AccountID, pkg, name, api)
		return err
	}, func(r activationRecord) bool { return r.Kind != kindTrigger && r.Package == pkg && r.Name == name })
}

func (s *Service) listTriggerActivations(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	name := c.Path("triggerName")
	return s.listActivationsWhere(c, api, func(tx *emu.Tx) error {
		_, err := s.findTrigger(tx, c.AccountID, name, api)
		return err
	}, func(r activationRecord) bool { return r.Kind == kindTrigger && r.Name == name })
}

func (s *Service) getActionActivation(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	pkg, name, id := c.Path("packageName"), c.Path("actionName"), c.Path("activationId")
	var out wire.Activation
	err = s.store.View(func(tx *emu.Tx) error {
		if _, err := s.findAction(tx, c.AccountID, pkg, name, api); err != nil {
			return err
		}
		r, ok := s.activations.Get(tx, c.AccountID, id)
		if !ok || !r.Done || r.Kind == kindTrigger || r.Package != pkg || r.Name != name {
			return cfErrorf(wire.CodeActionActivationNotFound, "action %s has no finished activation %q", actionKey(pkg, name), id)
		}
		out = activationView(c.AccountID, r)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) getTriggerActivation(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	name, id := c.Path("triggerName"), c.Path("activationId")
	var out wire.Activation
	err = s.store.View(func(tx *emu.Tx) error {
		if _, err := s.findTrigger(tx, c.AccountID, name, api); err != nil {
			return err
		}
		r, ok := s.activations.Get(tx, c.AccountID, id)
		if !ok || !r.Done || r.Kind != kindTrigger || r.Name != name {
			return cfErrorf(wire.CodeTriggerActivationNotFound, "trigger %q has no finished activation %q", name, id)
		}
		out = activationView(c.AccountID, r)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}
