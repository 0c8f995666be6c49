package vodstation

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// optionRec is an account's custom encoding option.
type optionRec struct {
	Option wire.EncodingOption `json:"option"`
}

// systemOption returns seeded option id.
func systemOption(id int64) (wire.EncodingOption, bool) {
	for _, o := range wire.SystemEncodingOptions {
		if o.ID == id {
			return cloneOption(o), true
		}
	}
	return wire.EncodingOption{}, false
}

// cloneOption copies an option deeply (records never share pointers).
func cloneOption(o wire.EncodingOption) wire.EncodingOption {
	if o.Video != nil {
		v := *o.Video
		if v.CodecOptions != nil {
			co := *v.CodecOptions
			v.CodecOptions = &co
		}
		o.Video = &v
	}
	if o.Audio != nil {
		a := *o.Audio
		o.Audio = &a
	}
	return o
}

// option returns encoding option id as account sees it: a system option or
// one of its own; defaultSet tells which.
func (s *Service) option(tx *emu.Tx, account string, id int64) (o wire.EncodingOption, ok bool) {
	if o, ok := systemOption(id); ok {
		return o, true
	}
	r, ok := s.options.Get(tx, account, strconv.FormatInt(id, 10))
	return cloneOption(r.Option), ok
}

func (s *Service) listOptions(c *rest.Call) error {
	var all []wire.EncodingOption
	for _, o := range wire.SystemEncodingOptions {
		all = append(all, cloneOption(o))
	}
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, r := range s.options.List(tx, c.AccountID) {
			all = append(all, r.Option)
		}
		return nil
	})
	return c.List(all, len(all))
}

func optionID(c *rest.Call) (int64, error) {
	id, err := strconv.ParseInt(c.Path("encodingOptionId"), 10, 64)
	if err != nil || id < 1 {
		return 0, errNotFound("encoding option %q", c.Path("encodingOptionId"))
	}
	return id, nil
}

func (s *Service) getOption(c *rest.Call) error {
	id, err := optionID(c)
	if err != nil {
		return err
	}
	var o wire.EncodingOption
	var ok bool
	_ = s.store.View(func(tx *emu.Tx) error {
		o, ok = s.option(tx, c.AccountID, id)
		return nil
	})
	if !ok {
		return errNotFound("encoding option %d", id)
	}
	_, system := systemOption(id)
	// defaultSet comes beside content (ncp-api.md §2.5) [C].
	return c.ReplyWith(http.StatusOK, o, map[string]any{"defaultSet": system})
}

// checkOption validates a custom option against the documented rules
// (ncp-api.md §2.5), naming the field; the bounds marked [?] in the wire
// facts are ncplocal's.
func checkOption(in *wire.CreateEncodingOptionRequest) error {
	if in.EncodingOptionType == "" {
		in.EncodingOptionType = wire.OptionTypeNormal
	}
	if !contains(wire.OptionTypes, in.EncodingOptionType) {
		return errValue("encodingOptionType must be NORMAL or AUDIO (got %q)", in.EncodingOptionType)
	}
	if in.Name == "" {
		return errInput("name is required")
	}
	if !wire.OptionNameRE.MatchString(in.Name) {
		return errValue("name must be %d to %d letters, digits, ':', '-' or '_' (got %q)", wire.MinOptionNameLen, wire.MaxOptionNameLen, in.Name)
	}
	if in.Format == "" {
		in.Format = wire.FormatMP4
	}
	if in.Format != wire.FormatMP4 {
		return errValue("format must be MP4 (got %q)", in.Format)
	}
	switch {
	case in.EncodingOptionType == wire.OptionTypeNormal && in.Video == nil:
		return errInput("video is required for a NORMAL option")
	case in.EncodingOptionType == wire.OptionTypeAudio && in.Video != nil:
		return errValue("video must be left out of an AUDIO option")
	case in.Audio == nil:
		return errInput("audio is required")
	}
	if v := in.Video; v != nil {
		if !contains(wire.VideoCodecs, v.Codec) {
			return errValue("video.codec must be one of %s (got %q)", strings.Join(wire.VideoCodecs, ", "), v.Codec)
		}
		if co := v.CodecOptions; co != nil {
			if co.Profile != "" && !contains(wire.VideoProfiles, co.Profile) {
				return errValue("video.codecOptions.profile must be one of %s (got %q)", strings.Join(wire.VideoProfiles, ", "), co.Profile)
			}
			if co.Level != "" && !contains(wire.VideoLevels, co.Level) {
				return errValue("video.codecOptions.level must be one of %s (got %q)", strings.Join(wire.VideoLevels, ", "), co.Level)
			}
		}
		for _, r := range []struct {
			field     string
			v, lo, hi float64
		}{
			{"video.bitrate", float64(v.Bitrate), wire.MinVideoBitrate, wire.MaxVideoBitrate},
			{"video.width", float64(v.Width), wire.MinVideoDimension, wire.MaxVideoDimension},
			{"video.height", float64(v.Height), wire.MinVideoDimension, wire.MaxVideoDimension},
			{"video.framerate", v.Framerate, wire.MinFramerate, wire.MaxFramerate},
			{"video.keyframeInterval", float64(v.KeyframeInterval), wire.MinKeyframeInterval, wire.MaxKeyframeInterval},
		} {
			if r.v != 0 && (r.v < r.lo || r.v > r.hi) {
				return errValue("%s must be from %g to %g (got %g)", r.field, r.lo, r.hi, r.v)
			}
		}
		if v.Bitrate == 0 {
			return errInput("video.bitrate is required")
		}
		if v.RateControl != "" && !contains(wire.RateControls, v.RateControl) {
			return errValue("video.rateControl must be one of %s (got %q)", strings.Join(wire.RateControls, ", "), v.RateControl)
		}
	}
	a := in.Audio
	if !contains(wire.AudioCodecs, a.Codec) {
		return errValue("audio.codec must be one of %s (got %q)", strings.Join(wire.AudioCodecs, ", "), a.Codec)
	}
	if a.Channel != "" && !contains(wire.AudioChannels, a.Channel) {
		return errValue("audio.channel must be one of %s (got %q)", strings.Join(wire.AudioChannels, ", "), a.Channel)
	}
	if a.Bitrate != 0 && (a.Bitrate < wire.MinAudioBitrate || a.Bitrate > wire.MaxAudioBitrate) {
		return errValue("audio.bitrate must be from %d to %d Kbps (got %d)", wire.MinAudioBitrate, wire.MaxAudioBitrate, a.Bitrate)
	}
	if a.SamplingRate != 0 && !slices.Contains(wire.AudioSamplingRate, a.SamplingRate) {
		return errValue("audio.samplingRate must be one of %v Hz (got %d)", wire.AudioSamplingRate, a.SamplingRate)
	}
	return nil
}

func (s *Service) createOption(c *rest.Call) error {
	var in wire.CreateEncodingOptionRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if err := checkOption(&in); err != nil {
		return err
	}
	var out wire.EncodingOption
	err := s.store.Update(c.Context(), func(tx *emu.Tx) error {
		o := wire.EncodingOption{ID: int64(s.optionSeq.Next(tx)), EncodingOptionType: in.EncodingOptionType, Name: in.Name,
			Format: in.Format, Video: in.Video, Audio: in.Audio}
		o = cloneOption(o)
		s.options.Put(tx, c.AccountID, strconv.FormatInt(o.ID, 10), optionRec{Option: o})
		out = o
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) deleteOption(c *rest.Call) error {
	id, err := optionID(c)
	if err != nil {
		return err
	}
	if _, system := systemOption(id); system {
		return vodError(http.StatusForbidden, wire.CodeNoPermission, "no permission", sprintf("encoding option %d is a system option", id))
	}
	var out wire.EncodingOption
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		key := strconv.FormatInt(id, 10)
		r, ok := s.options.Get(tx, c.AccountID, key)
		if !ok {
			return errNotFound("encoding option %d", id)
		}
		out = r.Option
		s.options.Delete(tx, c.AccountID, key)
		return nil
	})
	if err != nil {
		return err
	}
	return c.OK(out)
}

func (s *Service) listTemplates(c *rest.Call) error {
	var out []wire.EncodingTemplate
	// The documented answer has no total (ncp-api.md §2.5); a copy keeps
	// the seeded data safe.
	b, _ := json.Marshal(wire.EncodingTemplates)
	_ = json.Unmarshal(b, &out)
	return c.OK(out)
}

func (s *Service) listProtocols(c *rest.Call) error {
	var out []wire.Protocol
	for _, p := range wire.Protocols {
		out = append(out, wire.Protocol{Name: p})
	}
	return c.List(out, len(out))
}
