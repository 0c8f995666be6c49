package globaledge

import (
	"net/http"
	"regexp"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

var nameRE = regexp.MustCompile(wire.NamePattern)

// checkName is the profile and edge name rule [C].
func checkName(field, name string) *rest.Error {
	if !nameRE.MatchString(name) {
		return fieldError("%s must be %s (got %q)", field, wire.NameRule, name)
	}
	return nil
}

func (s *Service) profileWire(accountID string, p profileRecord) wire.Profile {
	return wire.Profile{ID: p.ID, CustomerID: customerID(accountID), ProfileName: p.Name}
}

// profileNamed returns the account's profile named name, if any.
func (s *Service) profileNamed(tx *emu.Tx, accountID, name string) (profileRecord, bool) {
	for _, p := range s.profiles.List(tx, accountID) {
		if p.Name == name {
			return p, true
		}
	}
	return profileRecord{}, false
}

func duplicateProfile(name string) *rest.Error {
	return &rest.Error{Status: http.StatusBadRequest, Code: wire.CodeDuplicateProfile, Message: wire.MessageDuplicateProfile,
		Details: "name " + name}
}

func (s *Service) listProfiles(c *rest.Call) error {
	var out []wire.Profile
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, p := range s.profiles.List(tx, c.AccountID) {
			out = append(out, s.profileWire(c.AccountID, p))
		}
		return nil
	})
	return c.List(out, len(out))
}

// validateProfileName answers whether name may be used for a new profile:
// true when it follows the rule and no profile of the account holds it.
// NCP's answer shape is not documented [?].
func (s *Service) validateProfileName(c *rest.Call) error {
	name := c.Query("name")
	if name == "" {
		return fieldError("name is required")
	}
	free := nameRE.MatchString(name)
	_ = s.store.View(func(tx *emu.Tx) error {
		_, taken := s.profileNamed(tx, c.AccountID, name)
		free = free && !taken
		return nil
	})
	return c.OK(free)
}

func (s *Service) createProfile(c *rest.Call) error {
	var in wire.ProfileRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if e := checkName("name", in.Name); e != nil {
		return e
	}
	var out wire.ProfileCreated
	err := s.update(c.Context(), func(tx *emu.Tx) error {
		if _, taken := s.profileNamed(tx, c.AccountID, in.Name); taken {
			return duplicateProfile(in.Name)
		}
		p := profileRecord{ID: int64(s.numbers.Next(tx)), Name: in.Name}
		s.profiles.Put(tx, c.AccountID, key(p.ID), p)
		out.ProfileID = p.ID
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

// renameProfile answers true [?] (the docs show no rename answer).
func (s *Service) renameProfile(c *rest.Call) error {
	id, err := parseID(c, "profileId")
	if err != nil {
		return err
	}
	var in wire.ProfileRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if e := checkName("name", in.Name); e != nil {
		return e
	}
	err = s.update(c.Context(), func(tx *emu.Tx) error {
		p, ok := s.profiles.Get(tx, c.AccountID, key(id))
		if !ok {
			return notFound("profile %d", id)
		}
		if other, taken := s.profileNamed(tx, c.AccountID, in.Name); taken && other.ID != id {
			return duplicateProfile(in.Name)
		}
		p.Name = in.Name
		s.profiles.Put(tx, c.AccountID, key(id), p)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(true)
}

// deleteProfile refuses while the profile has edges, those being deleted
// included ("all edges must be deleted first" [C-3p]); the code NCP answers
// then is not documented: ncplocal says 0032, request not allowed [?].
func (s *Service) deleteProfile(c *rest.Call) error {
	id, err := parseID(c, "profileId")
	if err != nil {
		return err
	}
	err = s.update(c.Context(), func(tx *emu.Tx) error {
		if _, ok := s.profiles.Get(tx, c.AccountID, key(id)); !ok {
			return notFound("profile %d", id)
		}
		if n := len(s.edgesOf.List(tx, c.AccountID, key(id))); n > 0 {
			return notAllowed("profile %d still has %d edge(s); delete them first", id, n)
		}
		s.profiles.Delete(tx, c.AccountID, key(id))
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(true)
}
