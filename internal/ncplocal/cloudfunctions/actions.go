package cloudfunctions

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

func actionSummary(account string, a actionRecord) wire.ActionSummary {
	return wire.ActionSummary{Name: a.Name, Namespace: namespaceOf(account), Version: version(a.Version), Type: a.Type,
		Kind: a.Exec.Kind, Description: a.Description}
}

func version(n int) string { return "0.0." + strconv.Itoa(n) }

func actionView(account string, a actionRecord) wire.Action {
	v := wire.Action{Name: a.Name, Namespace: namespaceOf(account), Version: version(a.Version), Type: a.Type,
		Description: a.Description, Parameters: a.Parameters, Exec: a.Exec, Limits: a.Limits, VPC: a.VPC,
		RawHTTP: a.RawHTTP, CustomOptions: a.CustomOptions,
		Web: a.Type == wire.ActionTypeWeb || a.Type == wire.ActionTypeSequenceWeb}
	if v.Parameters == nil {
		v.Parameters = wire.Parameters{}
	}
	return v
}

func actionKey(pkg, name string) string { return pkg + "/" + name }

// findAction returns an action of the request's platform (its package
// must exist too, unless it is NoPackage).
func (s *Service) findAction(tx *emu.Tx, account, pkg, name string, api api) (actionRecord, error) {
	if pkg != wire.NoPackage {
		if _, err := s.findPackage(tx, account, pkg, api); err != nil {
			return actionRecord{}, err
		}
	}
	a, ok := s.actions.Get(tx, account, actionKey(pkg, name))
	if !ok {
		return a, cfErrorf(wire.CodeActionNotFound, "action %s does not exist", actionKey(pkg, name))
	}
	if a.Platform != api.platform {
		return a, cfErrorf(wire.CodeActionPlatformMismatch, "action %s is on platform %s, not %s", a.fullName(), a.Platform, api.platform)
	}
	return a, nil
}

func (s *Service) listActions(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	pkg := c.Path("packageName")
	out := wire.ActionList{Actions: []wire.ActionSummary{}}
	err = s.store.View(func(tx *emu.Tx) error {
		if pkg != wire.NoPackage {
			if _, err := s.findPackage(tx, c.AccountID, pkg, api); err != nil {
				return err
			}
		}
		for _, a := range s.actions.List(tx, c.AccountID) {
			if a.Package == pkg && a.Platform == api.platform {
				out.Actions = append(out.Actions, actionSummary(c.AccountID, a))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	out.TotalCount = len(out.Actions)
	return c.OK(out)
}

func (s *Service) getAction(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	var out wire.Action
	err = s.store.View(func(tx *emu.Tx) error {
		a, err := s.findAction(tx, c.AccountID, c.Path("packageName"), c.Path("actionName"), api)
		out = actionView(c.AccountID, a)
		return err
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

// actionInput is a PUT body of either version, in v2.1 terms.
type actionInput struct {
	wire.ActionRequest
	typ string // "" when the request names none
}

// readActionInput decodes the body of the request's API version.
func readActionInput(c *rest.Call, api api) (actionInput, error) {
	var in actionInput
	if api.v20 {
		if c.Query(wire.ParamType) != "" {
			return in, cfErrorf(wire.CodeInvalidQuery, "API v2.0 takes no type query parameter: say web in the body")
		}
		var v wire.ActionRequestV20
		if err := c.Decode(&v); err != nil {
			return in, bodyError(err, wire.CodeActionInvalidField)
		}
		in.ActionRequest = wire.ActionRequest{Description: v.Description, Parameters: v.Parameters, Exec: v.Exec, Limits: v.Limits,
			RawHTTP: v.RawHTTP, CustomOptions: v.CustomOptions}
		if v.VPC != nil {
			in.VPC = []wire.VPCLink{*v.VPC}
		}
		if v.Web != nil {
			in.typ = wire.ActionTypeBasic
			if *v.Web {
				in.typ = wire.ActionTypeWeb
			}
		}
		if in.Exec != nil && in.Exec.Kind == wire.KindSequence && in.typ != "" {
			in.typ = map[string]string{wire.ActionTypeBasic: wire.ActionTypeSequence, wire.ActionTypeWeb: wire.ActionTypeSequenceWeb}[in.typ]
		}
		return in, nil
	}
	in.typ = c.Query(wire.ParamType)
	if in.typ != "" && !slices.Contains(wire.ActionTypes, in.typ) {
		return in, cfErrorf(wire.CodeInvalidQuery, "type must be one of %s, not %q", strings.Join(wire.ActionTypes, ", "), in.typ)
	}
	if err := c.Decode(&in.ActionRequest); err != nil {
		return in, bodyError(err, wire.CodeActionInvalidField)
	}
	return in, nil
}

func isSequenceType(t string) bool {
	return t == wire.ActionTypeSequence || t == wire.ActionTypeSequenceWeb
}

func missing(field string) error {
	return cfErrorf(wire.CodeActionBodyMissingField, "%s is required", field)
}

func invalid(format string, args ...any) error {
	return cfErrorf(wire.CodeActionInvalidField, format, args...)
}

// checkAction checks a basic or web action's body (§4.3); existing is the
// action it replaces, if any.
func (s *Service) checkAction(account string, api api, in *actionInput, existing *actionRecord) error {
	if err := checkDescription(wire.CodeActionInvalidField, "the action", in.Description); err != nil {
		return err
	}
	if isSequenceType(in.typ) {
		if in.Exec == nil {
			return missing("exec.components")
		}
		if in.Exec.Kind != wire.KindSequence {
			return invalid("exec.kind of a sequence action must be %q, not %q", wire.KindSequence, in.Exec.Kind)
		}
		if len(in.Exec.Components) == 0 {
			return missing("exec.components")
		}
		if in.Limits != nil || in.VPC != nil || in.Exec.Code != "" || in.Exec.ImageURI != "" || in.Exec.Binary {
			return invalid("a sequence action has only description, parameters and exec.kind/components (no limits, vpc or code)")
		}
		return nil
	}
	if in.Exec == nil || in.Exec.Kind == "" {
		return missing("exec.kind")
	}
	kind := in.Exec.Kind
	switch {
	case kind == wire.KindSequence:
		return invalid("exec.kind %q needs type=sequence", kind)
	case wire.IsSupportedKind(kind):
	case wire.IsDeprecatedKind(kind) && existing != nil && existing.Exec.Kind == kind:
		// [?] An action made before the deprecation keeps its kind.
	case wire.IsDeprecatedKind(kind):
		return cfErrorf(wire.CodeActionUnsupportedKind, "exec.kind %q is deprecated (since 2025-09-18) and refused for new actions; use one of %s", kind, strings.Join(wire.SupportedKinds, ", "))
	default:
		return cfErrorf(wire.CodeActionUnsupportedKind, "exec.kind %q is not supported; use one of %s", kind, strings.Join(wire.SupportedKinds, ", "))
	}
	if len(in.Exec.Components) > 0 {
		return invalid("exec.components is for sequence actions only")
	}
	switch {
	case kind == wire.KindCustomImage:
		if api.v20 {
			return invalid("custom image actions exist in API v2.1 only")
		}
		if in.Exec.ImageURI == "" {
			return missing("exec.imageUri")
		}
	case in.Exec.ImageURI != "":
		return invalid("exec.imageUri is for kind %q only", wire.KindCustomImage)
	case in.Exec.Code == "":
		return missing("exec.code")
	case slices.Contains(wire.BinaryKinds, kind) && !in.Exec.Binary:
		return invalid("kind %s needs exec.binary true with a base64 .jar or .zip", kind)
	}
	if in.Exec.Binary {
		if _, err := base64.StdEncoding.DecodeString(in.Exec.Code); err != nil {
			return invalid("exec.code must be base64 when exec.binary is true: %v", err)
		}
	}
	if in.Limits == nil || in.Limits.Timeout == 0 {
		return missing("limits.timeout")
	}
	if in.Limits.Memory == 0 {
		return missing("limits.memory")
	}
	if t := in.Limits.Timeout; t < wire.MinTimeoutMs || t > wire.MaxTimeoutMs {
		return invalid("limits.timeout must be from %d to %d ms, not %d", wire.MinTimeoutMs, wire.MaxTimeoutMs, t)
	}
	if !slices.Contains(wire.MemorySizes, in.Limits.Memory) {
		return invalid("limits.memory must be one of 128, 256, 512, 1024 (MB), not %d", in.Limits.Memory)
	}
	web := in.typ == wire.ActionTypeWeb
	if !web && ((in.RawHTTP != nil && *in.RawHTTP) || (in.CustomOptions != nil && *in.CustomOptions)) {
		return invalid("raw-http and custom-options are for web actions only")
	}
	if api.platform != wire.PlatformVPC {
		if in.VPC != nil {
			return invalid("vpc is for platform=vpc only")
		}
		return nil
	}
	if len(in.VPC) == 0 {
		return missing("vpc")
	}
	if len(in.VPC) > 1 {
		return invalid("vpc takes one VPC and subnet, not %d", len(in.VPC))
	}
	if s.deps.VPC != nil {
		for _, l := range in.VPC {
			vpcNo, subnetNo := strconv.FormatInt(l.VpcNo, 10), strconv.FormatInt(l.SubnetNo, 10)
			vpcOK, subnetOK := s.deps.VPC.Lookup(account, vpcNo, subnetNo)
			if !vpcOK {
				return cfErrorf(wire.CodeActionVpcNotFound, "vpc.vpcNo %s is not a VPC of this account", vpcNo)
			}
			if !subnetOK {
				return cfErrorf(wire.CodeActionSubnetNotFound, "vpc.subnetNo %s is not a subnet of VPC %s", subnetNo, vpcNo)
			}
		}
	}
	return nil
}

// checkComponents checks that a sequence's components exist.
func (s *Service) checkComponents(tx *emu.Tx, account string, api api, self string, comps []string) error {
	for _, comp := range comps {
		pkg, name, ok := strings.Cut(comp, "/")
		if !ok || pkg == "" || name == "" || strings.Contains(name, "/") {
			return invalid("exec.components: %q is not \"{packageName}/{actionName}\"", comp)
		}
		if comp == self {
			return invalid("exec.components: a sequence cannot contain itself")
		}
		if _, err := s.findAction(tx, account, pkg, name, api); err != nil {
			return cfErrorf(wire.CodeSequenceComponentMissing, "exec.components: action %s does not exist", comp)
		}
	}
	return nil
}

func (s *Service) putAction(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	pkg, name := c.Path("packageName"), c.Path("actionName")
	if pkg != wire.NoPackage {
		if err := checkName("package", pkg); err != nil {
			return err
		}
	}
	if err := checkName("action", name); err != nil {
		return err
	}
	in, err := readActionInput(c, api)
	if err != nil {
		return err
	}
	key := actionKey(pkg, name)
	var existing *actionRecord
	_ = s.store.View(func(tx *emu.Tx) error {
		if a, ok := s.actions.Get(tx, c.AccountID, key); ok {
			existing = &a
		}
		return nil
	})
	if existing != nil && in.typ != "" && existing.Type != in.typ {
		return cfErrorf(wire.CodeActionTypeMismatch, "action %s is of type %s; the type cannot change to %s", key, existing.Type, in.typ)
	}
	if in.typ == "" {
		switch {
		case existing != nil:
			in.typ = existing.Type
		case in.Exec != nil && in.Exec.Kind == wire.KindSequence:
			in.typ = wire.ActionTypeSequence
		default:
			in.typ = wire.ActionTypeBasic
		}
	}
	if err := s.checkAction(c.AccountID, api, &in, existing); err != nil {
		return err
	}
	var out wire.Action
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		if pkg != wire.NoPackage {
			if _, err := s.findPackage(tx, c.AccountID, pkg, api); err != nil {
				return err
			}
		}
		a, exists := s.actions.Get(tx, c.AccountID, key)
		if exists {
			if a.Platform != api.platform {
				return cfErrorf(wire.CodeActionPlatformMismatch, "action %s is on platform %s, not %s", key, a.Platform, api.platform)
			}
			if a.Type != in.typ {
				return cfErrorf(wire.CodeActionTypeMismatch, "action %s is of type %s; the type cannot change to %s", key, a.Type, in.typ)
			}
		}
		if kind := s.nameTaken(tx, c.AccountID, name, "action", key); kind != "" {
			return cfErrorf(wire.CodeNameDuplicated, "the name %q is taken by a %s: names are unique across packages, actions and triggers", name, kind)
		}
		if isSequenceType(in.typ) {
			if err := s.checkComponents(tx, c.AccountID, api, key, in.Exec.Components); err != nil {
				return err
			}
		}
		if !exists {
			a = actionRecord{Package: pkg, Name: name, Platform: api.platform, Type: in.typ, Created: tx.Now().UTC()}
		}
		a.Version++
		a.Description, a.Parameters, a.Exec, a.Limits, a.VPC = in.Description, in.Parameters, *in.Exec, in.Limits, in.VPC
		if a.Exec.Main == "" && !isSequenceType(a.Type) {
			a.Exec.Main = "main"
		}
		a.RawHTTP = in.RawHTTP != nil && *in.RawHTTP
		a.CustomOptions = in.CustomOptions != nil && *in.CustomOptions
		s.actions.Put(tx, c.AccountID, key, a)
		out = actionView(c.AccountID, a)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) deleteAction(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	pkg, name := c.Path("packageName"), c.Path("actionName")
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		a, err := s.findAction(tx, c.AccountID, pkg, name, api)
		if err != nil {
			return err
		}
		s.actions.Delete(tx, c.AccountID, a.fullName())
		// [?] The triggers it was linked to lose the link.
		for _, t := range s.triggers.List(tx, c.AccountID) {
			kept := slices.DeleteFunc(slices.Clone(t.Links), func(r wire.ActionRef) bool { return r.FullName() == a.fullName() })
			if len(kept) != len(t.Links) {
				t.Links = kept
				s.triggers.Put(tx, c.AccountID, t.Name, t)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.NoContent()
}

// invokeTimeout reads invoke's timeout (ms, 0..60000); absent means the
// longest wait [?].
func invokeTimeout(c *rest.Call) (int, error) {
	v := c.Query(wire.ParamTimeout)
	if v == "" {
		return wire.MaxInvokeTimeoutMs, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > wire.MaxInvokeTimeoutMs {
		return 0, cfErrorf(wire.CodeInvalidQuery, "timeout must be an integer from 0 to %d (ms), not %q", wire.MaxInvokeTimeoutMs, v)
	}
	return n, nil
}

func (s *Service) invokeAction(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	timeout, err := invokeTimeout(c)
	if err != nil {
		return err
	}
	var params wire.Parameters
	if c.Request.ContentLength != 0 {
		if err := c.Decode(&params); err != nil {
			return bodyError(err, wire.CodeActionInvalidParams)
		}
	}
	pkg, name := c.Path("packageName"), c.Path("actionName")
	var a actionRecord
	err = s.store.View(func(tx *emu.Tx) error {
		var err error
		a, err = s.findAction(tx, c.AccountID, pkg, name, api)
		return err
	})
	if err != nil {
		return err
	}
	run, err := s.startAction(c.Context(), c.AccountID, a, params, nil, "", nil)
	if err != nil {
		return err
	}
	res := run.wait(c.Context(), timeoutDuration(timeout))
	if res == nil {
		return c.OK(wire.InvokeResult{ActivationID: run.id})
	}
	return c.OK(wire.InvokeResult{ActivationID: run.id, Duration: res.Duration, Response: &res.Response})
}
