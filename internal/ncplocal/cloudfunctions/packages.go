package cloudfunctions

import (
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// routes registers every operation on both API versions.
func (s *Service) routes() {
	for _, p := range []string{wire.PathPrefix, wire.PathPrefixV20} {
		s.Handle("GET "+p+"/packages", "listPackages", s.listPackages)
		s.Handle("GET "+p+"/packages/{packageName}", "getPackage", s.getPackage)
		s.Handle("PUT "+p+"/packages/{packageName}", "putPackage", s.putPackage)
		s.Handle("DELETE "+p+"/packages/{packageName}", "deletePackage", s.deletePackage)
		s.Handle("GET "+p+"/packages/{packageName}/actions", "listActions", s.listActions)
		s.Handle("GET "+p+"/packages/{packageName}/actions/{actionName}", "getAction", s.getAction)
		s.Handle("PUT "+p+"/packages/{packageName}/actions/{actionName}", "putAction", s.putAction)
		s.Handle("DELETE "+p+"/packages/{packageName}/actions/{actionName}", "deleteAction", s.deleteAction)
		s.Handle("POST "+p+"/packages/{packageName}/actions/{actionName}", "invokeAction", s.invokeAction)
		s.Handle("GET "+p+"/packages/{packageName}/actions/{actionName}/activations", "listActionActivations", s.listActionActivations)
		s.Handle("GET "+p+"/packages/{packageName}/actions/{actionName}/activations/{activationId}", "getActionActivation", s.getActionActivation)
		s.Handle("GET "+p+"/triggers", "listTriggers", s.listTriggers)
		s.Handle("GET "+p+"/triggers/{triggerName}", "getTrigger", s.getTrigger)
		s.Handle("PUT "+p+"/triggers/{triggerName}", "putTrigger", s.putTrigger)
		s.Handle("DELETE "+p+"/triggers/{triggerName}", "deleteTrigger", s.deleteTrigger)
		s.Handle("POST "+p+"/triggers/{triggerName}", "fireTrigger", s.fireTrigger)
		s.Handle("POST "+p+"/triggers/{triggerName}/link-action", "linkAction", s.linkAction)
		s.Handle("DELETE "+p+"/triggers/{triggerName}/link-action", "unlinkAction", s.unlinkAction)
		s.Handle("GET "+p+"/triggers/{triggerName}/activations", "listTriggerActivations", s.listTriggerActivations)
		s.Handle("GET "+p+"/triggers/{triggerName}/activations/{activationId}", "getTriggerActivation", s.getTriggerActivation)
		s.Handle("GET "+p+"/activations", "listActivations", s.listActivations)
	}
}

func (s *Service) packageView(tx *emu.Tx, account string, p packageRecord, withActions bool) wire.Package {
	v := wire.Package{Name: p.Name, Description: p.Description, Parameters: p.Parameters, Namespace: namespaceOf(account),
		ResourceID: "pkg-" + p.Name, Platform: p.Platform}
	if v.Parameters == nil {
		v.Parameters = wire.Parameters{}
	}
	if withActions {
		v.Actions = []wire.ActionSummary{}
		for _, a := range s.actions.List(tx, account) {
			if a.Package == p.Name {
				v.Actions = append(v.Actions, actionSummary(account, a))
			}
		}
	}
	return v
}

func (s *Service) listPackages(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	out := wire.PackageList{Packages: []wire.Package{}}
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, p := range s.packages.List(tx, c.AccountID) {
			if p.Platform == api.platform {
				out.Packages = append(out.Packages, s.packageView(tx, c.AccountID, p, false))
			}
		}
		return nil
	})
	out.TotalCount = len(out.Packages)
	return c.OK(out)
}

// findPackage returns the package of the request's platform, or the
// documented not-found or platform-mismatch error.
func (s *Service) findPackage(tx *emu.Tx, account, name string, api api) (packageRecord, error) {
	p, ok := s.packages.Get(tx, account, name)
	if !ok {
		return p, cfErrorf(wire.CodePackageNotFound, "package %q does not exist", name)
	}
	if p.Platform != api.platform {
		return p, cfErrorf(wire.CodePackagePlatformMismatch, "package %q is on platform %s, not %s", name, p.Platform, api.platform)
	}
	return p, nil
}

// packageGet is the GET answer: the package with its actions, [] when it
// has none [C].
type packageGet struct {
	wire.Package
	Actions []wire.ActionSummary `json:"actions"`
}

func (s *Service) getPackage(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	var out packageGet
	err = s.store.View(func(tx *emu.Tx) error {
		p, err := s.findPackage(tx, c.AccountID, c.Path("packageName"), api)
		if err != nil {
			return err
		}
		out.Package = s.packageView(tx, c.AccountID, p, true)
		out.Actions = out.Package.Actions
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func checkDescription(code, what, d string) error {
	if len(d) > wire.MaxDescriptionBytes {
		return cfErrorf(code, "%s description is %d bytes; at most %d", what, len(d), wire.MaxDescriptionBytes)
	}
	return nil
}

func (s *Service) putPackage(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	name := c.Path("packageName")
	if err := checkName("package", name); err != nil {
		return err
	}
	var in wire.PackageRequest
	if err := c.Decode(&in); err != nil {
		return bodyError(err, wire.CodePackageInvalidField)
	}
	if err := checkDescription(wire.CodePackageInvalidField, "the package", in.Description); err != nil {
		return err
	}
	var out wire.Package
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		p, exists := s.packages.Get(tx, c.AccountID, name)
		if exists && p.Platform != api.platform {
			return cfErrorf(wire.CodePackagePlatformMismatch, "package %q is on platform %s, not %s", name, p.Platform, api.platform)
		}
		if kind := s.nameTaken(tx, c.AccountID, name, "package", name); kind != "" {
			return cfErrorf(wire.CodeNameDuplicated, "the name %q is taken by a %s: names are unique across packages, actions and triggers", name, kind)
		}
		if !exists {
			p = packageRecord{Name: name, Platform: api.platform, Created: tx.Now().UTC()}
		}
		// A PUT sets the whole package: what it leaves out is cleared.
		p.Description, p.Parameters = in.Description, in.Parameters
		s.packages.Put(tx, c.AccountID, name, p)
		out = s.packageView(tx, c.AccountID, p, false)
		out.Platform = ""
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) deletePackage(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	name := c.Path("packageName")
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		if _, err := s.findPackage(tx, c.AccountID, name, api); err != nil {
			return err
		}
		n := 0
		for _, a := range s.actions.List(tx, c.AccountID) {
			if a.Package == name {
				n++
			}
		}
		if n > 0 {
			return cfErrorf(wire.CodePackageNotEmpty, "package %q still holds %d actions", name, n)
		}
		s.packages.Delete(tx, c.AccountID, name)
		return nil
	})
	if err != nil {
		return err
	}
	return c.NoContent()
}
