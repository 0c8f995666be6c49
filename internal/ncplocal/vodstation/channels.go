package vodstation

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// maxEvents bounds the events a channel keeps (the oldest go first).
const maxEvents = 200

// channelRec is a stored channel.
type channelRec struct {
	ID                    string              `json:"id"`
	Name                  string              `json:"name"`
	StorageBucketName     string              `json:"storageBucketName"`
	EncryptedBucketName   string              `json:"encryptedBucketName"`
	AccessPrivateFiles    bool                `json:"accessPrivateFiles"`
	ProtocolList          []string            `json:"protocolList"`
	EncryptionList        []wire.Encryption   `json:"encryptionList,omitempty"`
	SegmentDuration       int                 `json:"segmentDuration"`
	SegmentDurationOption string              `json:"segmentDurationOption"`
	NotificationURL       string              `json:"notificationUrl,omitempty"`
	Drm                   *wire.Drm           `json:"drm,omitempty"`
	CreateTime            int64               `json:"createTime"`
	ReadyTime             *int64              `json:"readyTime,omitempty"`
	Cdn                   *cdnRec             `json:"cdn,omitempty"`
	Events                []wire.ChannelEvent `json:"events,omitempty"`
	// Notified is the last status a callback was sent for.
	Notified string   `json:"notified,omitempty"`
	Life     emu.Life `json:"life"`
}

// cdnRec is the Global Edge edge made for a channel.
type cdnRec struct {
	EdgeID      int64  `json:"edgeId"`
	ProfileID   int64  `json:"profileId"`
	RegionType  string `json:"regionType"`
	Type        string `json:"type"`
	Name        string `json:"name"`
	Domain      string `json:"domain"`
	CreatedTime int64  `json:"createdTime"`
}

// event records what happened to the channel.
func (r *channelRec) event(tx *emu.Tx, kind, status, msg string) {
	ev := wire.ChannelEvent{ChannelID: r.ID, EventType: kind, ChannelStatus: status, Message: msg, EventTime: ms(tx.Now())}
	events := append(slices.Clone(r.Events), ev)
	if len(events) > maxEvents {
		events = events[len(events)-maxEvents:]
	}
	r.Events = events
}

// playURL is the channel's play URL template (the guide's
// https://<cdnDomain>/<protocol>/<encryptedBucketName>/<path>/<file>/<manifest>);
// without a CDN the domain stays a placeholder [?].
func playURL(domain, enc string, protocols []string) string {
	if domain == "" {
		domain = "{cdnDomain}"
	}
	proto, manifest := "hls", "index.m3u8"
	if len(protocols) > 0 && protocols[0] == wire.ProtocolDASH {
		proto, manifest = "dash", "manifest.mpd"
	}
	return "https://" + domain + "/" + proto + "/" + enc + "/{filePath}/" + manifest
}

// channelView is the wire form of a channel at the transaction's time; the
// CDN's status and domain come from Global Edge.
func (s *Service) channelView(tx *emu.Tx, account string, r *channelRec) wire.Channel {
	status := s.channels.Status(tx, r)
	ch := wire.Channel{
		ID: r.ID, Name: r.Name, ChannelStatus: status, StorageBucketName: r.StorageBucketName,
		EncryptedBucketName: r.EncryptedBucketName, SegmentDuration: r.SegmentDuration, SegmentDurationOption: r.SegmentDurationOption,
		AccessPrivateFiles: r.AccessPrivateFiles, ProtocolList: slices.Clone(r.ProtocolList), EncryptionList: slices.Clone(r.EncryptionList),
		CreateTime: ptr(r.CreateTime), CdnStatus: wire.CdnStatusNone, NotificationURL: r.NotificationURL,
	}
	if status != wire.ChannelCreating {
		ch.ReadyTime = r.ReadyTime
		if ch.ReadyTime == nil {
			ch.ReadyTime = ptr(ms(tx.Now()))
		}
	}
	if cdn := r.Cdn; cdn != nil {
		ch.CdnDomain, ch.CdnServiceName, ch.CdnType = cdn.Domain, cdn.Name, cdn.Type
		ch.CdnEdgeID, ch.CdnProfileID, ch.CdnRegionType = ptr(cdn.EdgeID), ptr(cdn.ProfileID), cdn.RegionType
		ch.CdnCreatedTime = ptr(cdn.CreatedTime)
		if s.edges != nil {
			if e, err := s.edges.Edge(context.Background(), account, cdn.EdgeID); err == nil {
				ch.CdnStatus, ch.CdnDomain = e.Status, e.Domain
			}
			// An edge deleted through Global Edge shows "none" [?].
		}
	}
	ch.PlayURL = playURL(ch.CdnDomain, r.EncryptedBucketName, r.ProtocolList)
	return ch
}

// checkProtocols applies the protocol rules (260029, 260012).
func checkProtocols(list []string) error {
	if len(list) == 0 {
		return vodError(http.StatusBadRequest, wire.CodeEmptyProtocolList, "protocolList must not be empty", "protocolList is empty")
	}
	seen := map[string]bool{}
	for _, p := range list {
		if !contains(wire.Protocols, p) {
			return vodError(http.StatusBadRequest, wire.CodeUnsupportedProtocol, "unsupported protocol",
				sprintf("protocolList: %q is not one of %s", p, strings.Join(wire.Protocols, ", ")))
		}
		if seen[p] {
			return errValue("protocolList: %s is listed twice", p)
		}
		seen[p] = true
	}
	return nil
}

func checkSegment(d int, option *string) error {
	if d < wire.MinSegmentDuration || d > wire.MaxSegmentDuration {
		return vodError(http.StatusBadRequest, wire.CodeInvalidSegmentDuration, "invalid segment duration",
			sprintf("segmentDuration must be from %d to %d seconds (got %d)", wire.MinSegmentDuration, wire.MaxSegmentDuration, d))
	}
	if *option == "" {
		*option = wire.SegmentDurationBasic
	} else if !contains(wire.SegmentDurationOptions, *option) {
		return errValue("segmentDurationOption must be one of %s (got %q)", strings.Join(wire.SegmentDurationOptions, ", "), *option)
	}
	return nil
}

func checkChannelName(name string) error {
	if !wire.ChannelNameRE.MatchString(name) {
		return vodError(http.StatusBadRequest, wire.CodeInvalidChannelName, "invalid channel name",
			sprintf("name must be %d to %d letters, digits or '-' (got %q)", wire.MinChannelNameLen, wire.MaxChannelNameLen, name))
	}
	return nil
}

func checkEncryption(list []wire.Encryption, protocols []string) error {
	for i, e := range list {
		if !contains(protocols, e.Protocol) {
			return errValue("encryptionList[%d].protocol must be one of the channel's protocols %v (got %q)", i, protocols, e.Protocol)
		}
	}
	return nil
}

// checkCdn validates a cdn object (260028 for the type).
func checkCdn(cdn *wire.ChannelCdn) error {
	if cdn == nil {
		return errInput("cdn is required when createCdn is true")
	}
	if cdn.Type != "" && cdn.Type != wire.CdnTypeGlobalEdge {
		return vodError(http.StatusBadRequest, wire.CodeUnsupportedCdnType, "unsupported CDN type",
			sprintf("cdn.type must be %s (got %q)", wire.CdnTypeGlobalEdge, cdn.Type))
	}
	if cdn.ProfileID < 1 {
		return errInput("cdn.profileId is required")
	}
	if !contains(wire.CdnRegionTypes, cdn.RegionType) {
		return errValue("cdn.regionType must be one of %s (got %q)", strings.Join(wire.CdnRegionTypes, ", "), cdn.RegionType)
	}
	return nil
}

// createEdge asks Global Edge for the channel's edge.
func (s *Service) createEdge(ctx context.Context, tx *emu.Tx, account string, r *channelRec, cdn wire.ChannelCdn) error {
	if s.edges == nil {
		return vodError(http.StatusBadRequest, wire.CodeRequestFailed, "request failed", "Global Edge is not available in this ncplocal")
	}
	e, err := s.edges.CreateChannelEdge(ctx, account, cdnlink.EdgeRequest{
		ProfileID: cdn.ProfileID, RegionType: cdn.RegionType, Name: edgeName(r), OriginBucket: r.StorageBucketName,
		OriginRegion: "KR", ChannelID: r.ID,
	})
	switch {
	case errors.Is(err, cdnlink.ErrProfileNotFound):
		return errValue("cdn.profileId: no Global Edge profile %d in this account", cdn.ProfileID)
	case errors.Is(err, cdnlink.ErrEdgeLimit):
		return vodError(http.StatusBadRequest, wire.CodeRequestFailed, "request failed", "Global Edge: "+err.Error())
	case err != nil:
		var re *rest.Error
		if errors.As(err, &re) {
			return vodError(http.StatusBadRequest, wire.CodeRequestFailed, "request failed", "Global Edge: "+re.Error())
		}
		return vodError(http.StatusBadRequest, wire.CodeRequestFailed, "request failed", "Global Edge: "+err.Error())
	}
	typ := cdn.Type
	if typ == "" {
		typ = wire.CdnTypeGlobalEdge
	}
	r.Cdn = &cdnRec{EdgeID: e.ID, ProfileID: cdn.ProfileID, RegionType: cdn.RegionType, Type: typ, Name: e.Name, Domain: e.Domain, CreatedTime: ms(tx.Now())}
	return nil
}

// edgeName derives the edge's name from the channel (3–35 of Global Edge's
// [A-Za-z0-9-_]): "vod-<channel name>-<last 7 of the channel id>".
func edgeName(r *channelRec) string {
	suffix := r.ID
	if len(suffix) > 7 {
		suffix = suffix[len(suffix)-7:]
	}
	return "vod-" + r.Name + "-" + suffix
}

func (s *Service) listChannels(c *rest.Call) error {
	no, size, err := page(c)
	if err != nil {
		return err
	}
	var all []wire.Channel
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, r := range s.channels.List(tx, c.AccountID) {
			all = append(all, s.channelView(tx, c.AccountID, &r))
		}
		return nil
	})
	return c.List(rest.Page(all, no, size), len(all))
}

// channelNotFound: an ID of the wrong form is 260017, an unknown one 260004.
func channelNotFound(id string) *rest.Error {
	if !strings.HasPrefix(id, "vs-") {
		return vodError(http.StatusNotFound, wire.CodeInvalidChannelID, "invalid channel ID", sprintf("channel %q", id))
	}
	return errNotFound("channel %s", id)
}

func (s *Service) getChannel(c *rest.Call) error {
	id := c.Path("channelId")
	var out *wire.Channel
	_ = s.store.View(func(tx *emu.Tx) error {
		if r, ok := s.channels.Get(tx, c.AccountID, id); ok {
			v := s.channelView(tx, c.AccountID, &r)
			out = &v
		}
		return nil
	})
	if out == nil {
		return channelNotFound(id)
	}
	return c.OK(out)
}

func (s *Service) createChannel(c *rest.Call) error {
	var in wire.CreateChannelRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if err := checkChannelName(in.Name); err != nil {
		return err
	}
	if err := s.checkBucket(c.AccountID, "storageBucketName", in.StorageBucketName); err != nil {
		return err
	}
	if err := checkProtocols(in.ProtocolList); err != nil {
		return err
	}
	if err := checkSegment(in.SegmentDuration, &in.SegmentDurationOption); err != nil {
		return err
	}
	if err := checkEncryption(in.EncryptionList, in.ProtocolList); err != nil {
		return err
	}
	if in.CreateCdn == nil {
		return errInput("createCdn is required")
	}
	if *in.CreateCdn {
		if err := checkCdn(in.Cdn); err != nil {
			return err
		}
	} else if in.Cdn != nil {
		return errValue("cdn is only allowed with createCdn true")
	}
	if err := checkURL("notificationUrl", in.NotificationURL); err != nil {
		return err
	}
	var out wire.Channel
	var life emu.Life
	err := s.store.Update(c.Context(), func(tx *emu.Tx) error {
		r := channelRec{
			ID: emu.TimestampedID("vs", tx.Now(), s.channelSeq.Next(tx)), Name: in.Name, StorageBucketName: in.StorageBucketName,
			EncryptedBucketName: EncryptedBucketName(c.AccountID, in.StorageBucketName), AccessPrivateFiles: deref(in.AccessPrivateFiles),
			ProtocolList: slices.Clone(in.ProtocolList), EncryptionList: slices.Clone(in.EncryptionList), SegmentDuration: in.SegmentDuration,
			SegmentDurationOption: in.SegmentDurationOption, NotificationURL: in.NotificationURL, Drm: in.Drm, CreateTime: ms(tx.Now()),
		}
		s.channels.Begin(tx, &r, "create")
		if op := r.Life.Op; op != nil && op.Mode != emu.ProgressManual {
			r.ReadyTime = ptr(ms(op.Start.Add(op.Delay)))
		}
		if *in.CreateCdn {
			if err := s.createEdge(c.Context(), tx, c.AccountID, &r, *in.Cdn); err != nil {
				return err
			}
		}
		r.event(tx, "CREATE", wire.ChannelCreating, "channel created")
		r.Notified = s.channels.Status(tx, &r)
		life = r.Life
		s.channels.Put(tx, c.AccountID, r.ID, r)
		out = s.channelView(tx, c.AccountID, &r)
		return nil
	})
	if err != nil {
		return err
	}
	s.watch(c.AccountID, out.ID, out.Name, in.NotificationURL, []string{out.ChannelStatus}, life)
	return c.OK(out)
}

// change runs one state change of a channel: pre checks the status the
// channel is in; apply changes the record.
func (s *Service) change(c *rest.Call, pre func(status string) error, apply func(tx *emu.Tx, r *channelRec) error) error {
	id := c.Path("channelId")
	var out wire.Channel
	var notify string
	var sends []string
	var life emu.Life
	err := s.store.Update(c.Context(), func(tx *emu.Tx) error {
		r, ok := s.channels.Get(tx, c.AccountID, id)
		if !ok {
			return channelNotFound(id)
		}
		before := s.channels.Status(tx, &r)
		if err := pre(before); err != nil {
			return err
		}
		if err := apply(tx, &r); err != nil {
			return err
		}
		// A status the watcher has not told yet (the end of the previous
		// transition), then the new one.
		sends = nil
		if before != r.Notified {
			sends = append(sends, before)
		}
		if after := s.channels.Status(tx, &r); after != before {
			sends = append(sends, after)
		}
		if len(sends) > 0 {
			r.Notified = sends[len(sends)-1]
		}
		s.channels.Put(tx, c.AccountID, id, r)
		notify, life = r.NotificationURL, r.Life
		if got, ok := s.channels.Get(tx, c.AccountID, id); ok {
			out = s.channelView(tx, c.AccountID, &got)
		} else {
			// Deleted at once (immediate progression).
			out = s.channelView(tx, c.AccountID, &r)
			out.ChannelStatus = wire.ChannelTerminated
		}
		return nil
	})
	if err != nil {
		return err
	}
	if out.ChannelStatus == wire.ChannelTerminated {
		sends, life = append(sends, wire.ChannelTerminated), emu.Life{}
	}
	s.watch(c.AccountID, id, out.Name, notify, sends, life)
	return c.OK(out)
}

// precondition returns a pre for change: the channel must be in status.
func precondition(status, code, message string) func(string) error {
	return func(st string) error {
		if st != status {
			return vodError(http.StatusBadRequest, code, message, sprintf("the channel is %s", st))
		}
		return nil
	}
}

func (s *Service) startChannel(c *rest.Call) error {
	return s.change(c, precondition(wire.ChannelStopped, wire.CodeStartOnlyWhenStopped, "start only when STOPPED"), func(tx *emu.Tx, r *channelRec) error {
		s.channels.Begin(tx, r, "start")
		r.event(tx, "START", wire.ChannelStarting, "channel started")
		return nil
	})
}

func (s *Service) stopChannel(c *rest.Call) error {
	return s.change(c, precondition(wire.ChannelReady, wire.CodeStopOnlyWhenReady, "stop only when READY"), func(tx *emu.Tx, r *channelRec) error {
		s.channels.Begin(tx, r, "stop")
		r.event(tx, "STOP", wire.ChannelStopping, "channel stopped")
		return nil
	})
}

func (s *Service) deleteChannel(c *rest.Call) error {
	return s.change(c, precondition(wire.ChannelStopped, wire.CodeDeleteOnlyWhenStopped, "delete only when STOPPED"), func(tx *emu.Tx, r *channelRec) error {
		// The channel's edge stays ("the integrated CDN will be
		// maintained", ncp-api.md §2.4).
		s.channels.Begin(tx, r, "delete")
		r.event(tx, "DELETE", wire.ChannelTerminating, "channel deleted")
		return nil
	})
}

// updateChannel changes what the update body names [C-3p]; a channel in a
// transition cannot change [?] (260008).
func (s *Service) updateChannel(c *rest.Call) error {
	var in wire.UpdateChannelRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if in.Name != "" {
		if err := checkChannelName(in.Name); err != nil {
			return err
		}
	}
	if in.ProtocolList != nil {
		if err := checkProtocols(in.ProtocolList); err != nil {
			return err
		}
	}
	return s.change(c, func(st string) error {
		if st != wire.ChannelReady && st != wire.ChannelStopped {
			return vodError(http.StatusBadRequest, wire.CodeRequestFailed, "request failed", sprintf("the channel is %s; it can change when READY or STOPPED", st))
		}
		return nil
	}, func(tx *emu.Tx, r *channelRec) error {
		if in.Name != "" {
			r.Name = in.Name
		}
		if in.ProtocolList != nil {
			r.ProtocolList = slices.Clone(in.ProtocolList)
		}
		if in.SegmentDuration != 0 || in.SegmentDurationOption != "" {
			d, opt := r.SegmentDuration, r.SegmentDurationOption
			if in.SegmentDuration != 0 {
				d = in.SegmentDuration
			}
			if in.SegmentDurationOption != "" {
				opt = in.SegmentDurationOption
			}
			if err := checkSegment(d, &opt); err != nil {
				return err
			}
			r.SegmentDuration, r.SegmentDurationOption = d, opt
		}
		if in.EncryptionList != nil {
			r.EncryptionList = slices.Clone(in.EncryptionList)
		}
		if err := checkEncryption(r.EncryptionList, r.ProtocolList); err != nil {
			return err
		}
		if in.Drm != nil {
			r.Drm = in.Drm
		}
		r.event(tx, "UPDATE", s.channels.Status(tx, r), "channel updated")
		return nil
	})
}

// cdnToEdge gives a STOPPED channel without a Global Edge an edge
// (ncp-api.md §2.4). ncplocal has no CDN+, so a channel without a CDN is
// the one that can move [?]; one with an edge already gets 260030.
func (s *Service) cdnToEdge(c *rest.Call) error {
	var in wire.CdnToEdgeRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if err := checkCdn(&in.Cdn); err != nil {
		return err
	}
	return s.change(c, func(st string) error {
		if st != wire.ChannelStopped {
			return vodError(http.StatusBadRequest, wire.CodeRequestFailed, "request failed", sprintf("cdn-to-edge needs a STOPPED channel; it is %s", st))
		}
		return nil
	}, func(tx *emu.Tx, r *channelRec) error {
		if r.Cdn != nil {
			return vodError(http.StatusBadRequest, wire.CodeCdnPlusOnly, "the CDN type must be CDN+", sprintf("the channel already uses Global Edge %d", r.Cdn.EdgeID))
		}
		if err := s.createEdge(c.Context(), tx, c.AccountID, r, in.Cdn); err != nil {
			return err
		}
		r.event(tx, "CDN_CHANGE", wire.ChannelStopped, "CDN changed to Global Edge")
		return nil
	})
}

func (s *Service) channelEvents(c *rest.Call) error {
	no, size, err := page(c)
	if err != nil {
		return err
	}
	id := c.Path("channelId")
	var events []wire.ChannelEvent
	var ok bool
	_ = s.store.View(func(tx *emu.Tx) error {
		var r channelRec
		if r, ok = s.channels.Get(tx, c.AccountID, id); ok {
			events = slices.Clone(r.Events)
		}
		return nil
	})
	if !ok {
		return channelNotFound(id)
	}
	slices.Reverse(events) // newest first [?]
	return c.List(rest.Page(events, no, size), len(events))
}

// watch sends the channel callbacks (ncp-api.md §2.4) for the statuses
// sends, in order, then follows the transition life started until it ends
// and tells its last status, unless a later change has told it already
// (channelRec.Notified keeps every status told once).
func (s *Service) watch(account, id, name, target string, sends []string, life emu.Life) {
	if target == "" {
		return
	}
	s.goBackground(func(ctx context.Context) {
		for _, st := range sends {
			s.post(ctx, target, wire.ChannelCallback{ID: id, Name: name, ChannelStatus: st})
		}
		if life.Op == nil {
			return
		}
		for {
			if !sleep(ctx, 20*time.Millisecond) {
				return
			}
			var tell string
			done := false
			_ = s.store.Update(ctx, func(tx *emu.Tx) error {
				r, ok := s.channels.Get(tx, account, id)
				switch {
				case !ok:
					done = true
					if life.Op.Transition == "delete" {
						tell = wire.ChannelTerminated
					}
					return nil
				case r.Life.Op != nil && !r.Life.Op.Start.Equal(life.Op.Start):
					done = true // a later change has its own watcher
					return nil
				}
				st := s.channels.Status(tx, &r)
				if st != r.Notified {
					tell, r.Notified = st, st
					s.channels.Put(tx, account, id, r)
				}
				done = !slices.Contains(throughStatuses(life.Op.Transition), st)
				return nil
			})
			if tell != "" {
				s.post(ctx, target, wire.ChannelCallback{ID: id, Name: name, ChannelStatus: tell})
			}
			if done {
				return
			}
		}
	})
}

// throughStatuses are the statuses a channel shows during a transition.
func throughStatuses(transition string) []string {
	for _, tr := range ChannelKind.Transitions {
		if tr.Name == transition {
			return tr.Through
		}
	}
	return nil
}
