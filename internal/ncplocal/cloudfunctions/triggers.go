package cloudfunctions

import (
	"errors"
	"slices"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

func triggerView(account string, t triggerRecord) wire.Trigger {
	v := wire.Trigger{Name: t.Name, Type: t.Type, TriggerType: t.Type, Description: t.Description, Parameters: t.Parameters,
		ObjectStorageLink: t.Body.ObjectStorageLink, Actions: slices.Clone(t.Links), Namespace: namespaceOf(account), Platform: t.Platform}
	if v.Parameters == nil {
		v.Parameters = wire.Parameters{}
	}
	if v.Actions == nil {
		v.Actions = []wire.ActionRef{}
	}
	if t.Type == wire.TriggerTypeCron {
		v.ExecOption = []wire.KeyValue{{Key: "cron", Value: t.Body.CronOption}}
	}
	return v
}

func (s *Service) findTrigger(tx *emu.Tx, account, name string, api api) (triggerRecord, error) {
	t, ok := s.triggers.Get(tx, account, name)
	if !ok {
		return t, cfErrorf(wire.CodeTriggerNotFound, "trigger %q does not exist", name)
	}
	if t.Platform != api.platform {
		return t, cfErrorf(wire.CodeTriggerPlatformMismatch, "trigger %q is on platform %s, not %s", name, t.Platform, api.platform)
	}
	return t, nil
}

func (s *Service) listTriggers(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	out := wire.TriggerList{Triggers: []wire.Trigger{}}
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, t := range s.triggers.List(tx, c.AccountID) {
			if t.Platform == api.platform {
				out.Triggers = append(out.Triggers, triggerView(c.AccountID, t))
			}
		}
		return nil
	})
	out.TotalCount = len(out.Triggers)
	return c.OK(out)
}

func (s *Service) getTrigger(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	var out wire.Trigger
	err = s.store.View(func(tx *emu.Tx) error {
		t, err := s.findTrigger(tx, c.AccountID, c.Path("triggerName"), api)
		out = triggerView(c.AccountID, t)
		return err
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func tmissing(field string) error {
	return cfErrorf(wire.CodeTriggerBodyMissingField, "%s is required", field)
}

func tinvalid(format string, args ...any) error {
	return cfErrorf(wire.CodeTriggerInvalidField, format, args...)
}

// readTriggerInput decodes the body of the request's API version.
func readTriggerInput(c *rest.Call, api api) (wire.TriggerRequest, error) {
	if !api.v20 {
		var in wire.TriggerRequest
		err := c.Decode(&in)
		return in, bodyError(err, wire.CodeTriggerInvalidField)
	}
	var v wire.TriggerRequestV20
	if err := c.Decode(&v); err != nil {
		return wire.TriggerRequest{}, bodyError(err, wire.CodeTriggerInvalidField)
	}
	in := wire.TriggerRequest{Description: v.Trigger.Description, Parameters: v.Trigger.Parameters, CronOption: v.Trigger.CronOption,
		Credential: v.Trigger.Credentials, Events: v.Trigger.Events}
	if v.Link != nil {
		in.Link = &wire.APIGatewayLink{ProductName: v.Link.ProductID, APIName: v.Link.APIName, StageName: v.Link.StageName}
	}
	return in, nil
}

// checkTrigger checks a trigger body of type typ (§4.4).
func (s *Service) checkTrigger(account, typ string, in *wire.TriggerRequest, creating bool) error {
	if err := checkDescription(wire.CodeTriggerInvalidField, "the trigger", in.Description); err != nil {
		return err
	}
	fields := map[string]bool{
		"cronOption": in.CronOption != "", "objectStorageLink": in.ObjectStorageLink != nil,
		"credential": in.Credential != nil, "events": in.Events != nil, "link": in.Link != nil,
		"insightLink": in.InsightLink != nil, "sourceCommitLink": in.SourceCommitLink != nil,
		"secretManagerLink": in.SecretManagerLink != nil,
	}
	own := map[string][]string{
		wire.TriggerTypeCron: {"cronOption"}, wire.TriggerTypeObjectStorage: {"objectStorageLink"},
		wire.TriggerTypeGithub: {"credential", "events", "link"}, wire.TriggerTypeInsight: {"insightLink"},
		wire.TriggerTypeSourceCommit: {"sourceCommitLink"}, wire.TriggerTypeSecretManager: {"secretManagerLink"},
	}[typ]
	for f, set := range fields {
		if set && !slices.Contains(own, f) {
			return tinvalid("%s is not a field of %s triggers", f, typ)
		}
	}
	switch typ {
	case wire.TriggerTypeCron:
		if in.CronOption == "" {
			return tmissing("cronOption")
		}
		return checkCron(in.CronOption)
	case wire.TriggerTypeObjectStorage:
		if len(in.ObjectStorageLink) == 0 {
			return tmissing("objectStorageLink")
		}
		for _, l := range in.ObjectStorageLink {
			if l.BucketName == "" || l.EventRuleName == "" {
				return tmissing("objectStorageLink[].bucketName and eventRuleName")
			}
			if s.deps.Buckets == nil {
				continue
			}
			if _, err := s.deps.Buckets.EventRule(account, l.BucketName, l.EventRuleName); err != nil {
				switch {
				case errors.Is(err, objectstorage.ErrNoSuchEventRule):
					return cfErrorf(wire.CodeTriggerEventRuleNotFound, "bucket %s has no event rule %q", l.BucketName, l.EventRuleName)
				default:
					return cfErrorf(wire.CodeTriggerEventRuleNotFound, "bucket %s is not a bucket of this account", l.BucketName)
				}
			}
		}
	case wire.TriggerTypeGithub:
		if in.Credential == nil || in.Credential.Username == "" || in.Credential.AccessToken == "" || in.Credential.Repository == "" {
			return tmissing("credential.username, accessToken and repository")
		}
		if len(in.Events) == 0 {
			return tmissing("events")
		}
		if creating && in.Link == nil {
			return tmissing("link")
		}
	case wire.TriggerTypeSourceCommit:
		if len(in.SourceCommitLink) == 0 {
			return tmissing("sourceCommitLink")
		}
	case wire.TriggerTypeSecretManager:
		if len(in.SecretManagerLink) == 0 {
			return tmissing("secretManagerLink")
		}
	case wire.TriggerTypeInsight:
		for _, l := range in.InsightLink {
			if l.ReminderTime < 5 || l.ReminderTime > 720 {
				return tinvalid("insightLink[].reminderTime must be from 5 to 720, not %d", l.ReminderTime)
			}
		}
	}
	return nil
}

func (s *Service) putTrigger(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	name := c.Path("triggerName")
	if err := checkName("trigger", name); err != nil {
		return err
	}
	typ := c.Query(wire.ParamType)
	types := wire.TriggerTypes
	if api.v20 {
		types = wire.TriggerTypesV20
	}
	if typ == "" {
		return cfErrorf(wire.CodeInvalidQuery, "the type query parameter is required (%s)", strings.Join(types, ", "))
	}
	if !slices.Contains(types, typ) {
		return cfErrorf(wire.CodeInvalidQuery, "type must be one of %s, not %q", strings.Join(types, ", "), typ)
	}
	in, err := readTriggerInput(c, api)
	if err != nil {
		return err
	}
	var creating bool
	err = s.store.View(func(tx *emu.Tx) error {
		t, ok := s.triggers.Get(tx, c.AccountID, name)
		creating = !ok
		if ok && t.Type != typ {
			return cfErrorf(wire.CodeTriggerTypeMismatch, "trigger %q is of type %s; the type cannot change to %s", name, t.Type, typ)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.checkTrigger(c.AccountID, typ, &in, creating); err != nil {
		return err
	}
	var out wire.Trigger
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		t, exists := s.triggers.Get(tx, c.AccountID, name)
		if exists {
			if t.Platform != api.platform {
				return cfErrorf(wire.CodeTriggerPlatformMismatch, "trigger %q is on platform %s, not %s", name, t.Platform, api.platform)
			}
			if t.Type != typ {
				return cfErrorf(wire.CodeTriggerTypeMismatch, "trigger %q is of type %s; the type cannot change to %s", name, t.Type, typ)
			}
		}
		if kind := s.nameTaken(tx, c.AccountID, name, "trigger", name); kind != "" {
			return cfErrorf(wire.CodeNameDuplicated, "the name %q is taken by a %s: names are unique across packages, actions and triggers", name, kind)
		}
		if typ == wire.TriggerTypeObjectStorage {
			for _, l := range in.ObjectStorageLink {
				n := 1
				for _, o := range s.triggers.List(tx, c.AccountID) {
					if o.Name != name && slices.ContainsFunc(o.Body.ObjectStorageLink, func(x wire.ObjectStorageLink) bool { return x.BucketName == l.BucketName }) {
						n++
					}
				}
				if n > wire.MaxTriggersPerBucket {
					return cfErrorf(wire.CodeTriggerBucketLimit, "bucket %s already has %d triggers (at most %d)", l.BucketName, n-1, wire.MaxTriggersPerBucket)
				}
			}
		}
		if !exists {
			t = triggerRecord{Name: name, Platform: api.platform, Type: typ, Created: tx.Now().UTC()}
		}
		if typ == wire.TriggerTypeGithub && exists && in.Link == nil {
			in.Link = t.Body.Link // link is required on create, ignored on update [C-3p]
		}
		t.Description, t.Parameters = in.Description, in.Parameters
		body := in
		body.Description, body.Parameters = "", nil
		t.Body = body
		s.triggers.Put(tx, c.AccountID, name, t)
		out = triggerView(c.AccountID, t)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) deleteTrigger(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		t, err := s.findTrigger(tx, c.AccountID, c.Path("triggerName"), api)
		if err != nil {
			return err
		}
		s.triggers.Delete(tx, c.AccountID, t.Name)
		return nil
	})
	if err != nil {
		return err
	}
	return c.NoContent()
}

// readLink decodes a link-action or unlink body.
func readLink(c *rest.Call) (wire.ActionRef, error) {
	var ref wire.ActionRef
	if err := c.Decode(&ref); err != nil {
		return ref, bodyError(err, wire.CodeTriggerInvalidField)
	}
	if ref.Action == "" {
		return ref, tmissing("action")
	}
	if ref.Package == "" {
		ref.Package = wire.NoPackage
	}
	return ref, nil
}

func (s *Service) linkAction(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	ref, err := readLink(c)
	if err != nil {
		return err
	}
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		t, err := s.findTrigger(tx, c.AccountID, c.Path("triggerName"), api)
		if err != nil {
			return err
		}
		if _, err := s.findAction(tx, c.AccountID, ref.Package, ref.Action, api); err != nil {
			return err
		}
		if slices.ContainsFunc(t.Links, func(r wire.ActionRef) bool { return r.FullName() == ref.FullName() }) {
			return cfErrorf(wire.CodeDuplicatedRule, "action %s is already linked to trigger %q", ref.FullName(), t.Name)
		}
		t.Links = append(t.Links, ref)
		s.triggers.Put(tx, c.AccountID, t.Name, t)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(wire.LinkResult{Status: wire.LinkStatusActive})
}

func (s *Service) unlinkAction(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	ref, err := readLink(c)
	if err != nil {
		return err
	}
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		t, err := s.findTrigger(tx, c.AccountID, c.Path("triggerName"), api)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(t.Links, func(r wire.ActionRef) bool { return r.FullName() == ref.FullName() })
		if i < 0 {
			return cfErrorf(wire.CodeRuleNotFound, "action %s is not linked to trigger %q", ref.FullName(), t.Name)
		}
		t.Links = slices.Delete(t.Links, i, i+1)
		s.triggers.Put(tx, c.AccountID, t.Name, t)
		return nil
	})
	if err != nil {
		return err
	}
	return c.NoContent()
}

func (s *Service) fireTrigger(c *rest.Call) error {
	api, err := apiOf(c)
	if err != nil {
		return err
	}
	var params wire.Parameters
	if c.Request.ContentLength != 0 {
		if err := c.Decode(&params); err != nil {
			return bodyError(err, wire.CodeTriggerInvalidParams)
		}
	}
	var t triggerRecord
	err = s.store.View(func(tx *emu.Tx) error {
		t, err = s.findTrigger(tx, c.AccountID, c.Path("triggerName"), api)
		return err
	})
	if err != nil {
		return err
	}
	if len(t.Links) == 0 {
		return cfErrorf(wire.CodeTriggerInvokeFail, "trigger %q has no linked action", t.Name)
	}
	id, err := s.fire(c.Context(), c.AccountID, t.Name, params, "")
	if err != nil {
		return err
	}
	return c.OK(wire.FireResult{ActivationID: id})
}
