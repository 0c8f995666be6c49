package rest_test

import (
	"errors"
	"net/http"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
)

// Three small services in the shapes of the coming ones, built the way they
// will be: a Router for the routes, an emu.Store for the state. They share
// the /api/v2 prefix (VOD-like and Cloud-Functions-like) and one listener.

// channels is a VOD-Station-like service: channels with a lifecycle and
// IDs of the form vs-YYYYMMDDhhmmss-XXXXXXX.
type channels struct {
	*rest.Router
	store *emu.Store
	seq   *emu.Sequence
	table *emu.Table[channel]
}

type channel struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	ProtocolList    []string `json:"protocolList"`
	SegmentDuration int      `json:"segmentDuration"`
	Life            emu.Life `json:"life"`
}

// channelView is the wire form of a channel.
type channelView struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	ChannelStatus string   `json:"channelStatus"`
	ProtocolList  []string `json:"protocolList"`
}

var channelKind = emu.Kind{Name: "vodlike/channel", Transitions: []emu.Transition{
	{Name: "create", Through: []string{"CREATING"}, To: "READY"},
	{Name: "stop", Through: []string{"STOPPING"}, To: "STOPPED"},
	{Name: "delete", Through: []string{"TERMINATING"}, To: emu.Gone},
}}

func newChannels(env emu.Env) *channels {
	s := &channels{Router: rest.NewRouter("vodlike", rest.Content, "/api/v2/channels", "/api/v2/category")}
	s.InvalidBody = func(detail string) *rest.Error {
		return &rest.Error{Status: http.StatusBadRequest, Code: "260033", Message: "invalid request data", Details: detail}
	}
	s.store = emu.NewStore(env, "vodlike")
	s.seq = s.store.Sequence("channel", 0)
	s.table = emu.NewTable(s.store, "channels", emu.WithLife(channelKind, func(c *channel) *emu.Life { return &c.Life }))
	s.Handle("POST /api/v2/channels", "createChannel", s.create)
	s.Handle("GET /api/v2/channels", "listChannels", s.list)
	s.Handle("GET /api/v2/channels/{channelId}", "getChannel", s.get)
	s.Handle("PUT /api/v2/channels/{channelId}/stop", "stopChannel", s.stop)
	s.Handle("GET /api/v2/category/{categoryId}", "getCategory", func(c *rest.Call) error {
		return c.OK(map[string]string{"id": c.Path("categoryId")})
	})
	s.Handle("GET /api/v2/category/{categoryId}/broken", "broken", func(*rest.Call) error { return errors.New("a bug") })
	s.Handle("GET /api/v2/category/{categoryId}/silent", "silent", func(*rest.Call) error { return nil })
	return s
}

func (s *channels) Name() string         { return "vodlike" }
func (s *channels) Reset()               { s.store.Reset() }
func (s *channels) Inventory(string) any { return nil }
func (s *channels) Store() *emu.Store    { return s.store }

func (s *channels) view(tx *emu.Tx, ch channel) channelView {
	return channelView{ID: ch.ID, Name: ch.Name, ChannelStatus: s.table.Status(tx, &ch), ProtocolList: ch.ProtocolList}
}

func (s *channels) create(c *rest.Call) error {
	var in struct {
		Name            string   `json:"name"`
		ProtocolList    []string `json:"protocolList"`
		SegmentDuration int      `json:"segmentDuration"`
	}
	if err := c.Decode(&in); err != nil {
		return err
	}
	if len(in.ProtocolList) == 0 {
		return &rest.Error{Status: http.StatusBadRequest, Code: "260029", Message: "protocolList must not be empty"}
	}
	var out channelView
	err := s.store.Update(c.Context(), func(tx *emu.Tx) error {
		ch := channel{ID: emu.TimestampedID("vs", tx.Now(), s.seq.Next(tx)), Name: in.Name, ProtocolList: in.ProtocolList, SegmentDuration: in.SegmentDuration}
		s.table.Begin(tx, &ch, "create")
		s.table.Put(tx, c.AccountID, ch.ID, ch)
		out = s.view(tx, ch)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *channels) list(c *rest.Call) error {
	no, err := c.IntQuery("pageNo", 1, 1, 1<<31-1)
	if err != nil {
		return err
	}
	size, err := c.IntQuery("pageSizeNo", 20, 1, 1<<31-1)
	if err != nil {
		return err
	}
	var all []channelView
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, ch := range s.table.List(tx, c.AccountID) {
			all = append(all, s.view(tx, ch))
		}
		return nil
	})
	return c.List(rest.Page(all, no, size), len(all))
}

func (s *channels) get(c *rest.Call) error {
	var out *channelView
	_ = s.store.View(func(tx *emu.Tx) error {
		if ch, ok := s.table.Get(tx, c.AccountID, c.Path("channelId")); ok {
			v := s.view(tx, ch)
			out = &v
		}
		return nil
	})
	if out == nil {
		return &rest.Error{Status: http.StatusNotFound, Code: "260004", Message: "not found", Details: "channel " + c.Path("channelId")}
	}
	return c.OK(out)
}

func (s *channels) stop(c *rest.Call) error {
	var out channelView
	err := s.store.Update(c.Context(), func(tx *emu.Tx) error {
		ch, ok := s.table.Get(tx, c.AccountID, c.Path("channelId"))
		if !ok {
			return &rest.Error{Status: http.StatusNotFound, Code: "260004", Message: "not found"}
		}
		if st := s.table.Status(tx, &ch); st != "READY" {
			return &rest.Error{Status: http.StatusBadRequest, Code: "260023", Message: "stop only when READY", Details: "the channel is " + st}
		}
		s.table.Begin(tx, &ch, "stop")
		s.table.Put(tx, c.AccountID, ch.ID, ch)
		out = s.view(tx, ch)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

// packages is a Cloud-Functions-like service on /ncf/api/v2 (v2.1) and
// /api/v2/packages (v2.0), with NCP's retryable 80031.
type packages struct {
	*rest.Router
	store *emu.Store
	table *emu.Table[pkg]
}

type pkg struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Parameters  map[string]string `json:"parameters,omitempty"`
}

func newPackages(env emu.Env) *packages {
	s := &packages{Router: rest.NewRouter("fnlike", rest.Content, "/ncf/api/v2", "/api/v2/packages", "/api/v2/triggers")}
	s.store = emu.NewStore(env, "fnlike")
	s.table = emu.NewTable[pkg](s.store, "packages")
	for _, prefix := range []string{"/ncf/api/v2", "/api/v2"} {
		s.Handle("PUT "+prefix+"/packages/{packageName}", "putPackage", s.put)
		s.Handle("GET "+prefix+"/packages/{packageName}", "getPackage", s.get)
		s.Handle("DELETE "+prefix+"/packages/{packageName}", "deletePackage", s.delete)
	}
	return s
}

func (s *packages) Name() string         { return "fnlike" }
func (s *packages) Reset()               { s.store.Reset() }
func (s *packages) Inventory(string) any { return nil }
func (s *packages) Store() *emu.Store    { return s.store }

// FaultAnswers registers Cloud Functions' "try again" (ncp-api.md §4.4).
func (s *packages) FaultAnswers() []emu.FaultAnswer {
	return []emu.FaultAnswer{rest.FaultAnswer(rest.Content, &rest.Error{Status: http.StatusBadRequest, Code: "80031", Message: "Please try again in a few minutes."})}
}

func (s *packages) put(c *rest.Call) error {
	var in struct {
		Description string            `json:"description"`
		Parameters  map[string]string `json:"parameters"`
	}
	if err := c.Decode(&in); err != nil {
		return err
	}
	p := pkg{Name: c.Path("packageName"), Description: in.Description, Parameters: in.Parameters}
	err := s.store.Update(c.Context(), func(tx *emu.Tx) error {
		s.table.Put(tx, c.AccountID, p.Name, p)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(p)
}

func (s *packages) get(c *rest.Call) error {
	var p pkg
	var ok bool
	_ = s.store.View(func(tx *emu.Tx) error {
		p, ok = s.table.Get(tx, c.AccountID, c.Path("packageName"))
		return nil
	})
	if !ok {
		return &rest.Error{Status: http.StatusNotFound, Code: "80101", Message: "PACKAGE_NOT_FOUND"}
	}
	return c.OK(p)
}

func (s *packages) delete(c *rest.Call) error {
	_ = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		s.table.Delete(tx, c.AccountID, c.Path("packageName"))
		return nil
	})
	return c.NoContent()
}

// profiles is a Global-Edge-like service in the code/message/result
// envelope.
type profiles struct {
	*rest.Router
}

func newProfiles() *profiles {
	s := &profiles{Router: rest.NewRouter("edgelike", rest.Result, "/api/v1")}
	s.Handle("GET /api/v1/profiles", "listProfiles", func(c *rest.Call) error {
		return c.List([]map[string]any{{"id": 1599, "profileName": "myprofile"}}, 1)
	})
	s.Handle("GET /api/v1/profiles/validation", "validateProfileName", func(c *rest.Call) error {
		return c.OK(c.Query("name") != "taken")
	})
	s.Handle("GET /api/v1/profiles/{profileId}", "getProfile", func(c *rest.Call) error {
		return &rest.Error{Status: http.StatusForbidden, Code: "0032", Message: "request not allowed"}
	})
	return s
}

func (s *profiles) Name() string         { return "edgelike" }
func (s *profiles) Reset()               {}
func (s *profiles) Inventory(string) any { return nil }
