package media

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Encoding option types and values (ncp-api.md §2.5; the create-option doc
// lists profile BASELINE|MAIN|HIGH, codec AVC, audio codec AAC, channel
// AUTO|1|2, audio bitrate 16–320 Kbps).
const (
	TypeNormal = "NORMAL"
	TypeAudio  = "AUDIO"
	FormatMP4  = "MP4"
)

// EncodingOption is a VOD Station encoding option: the plain form of the
// wire type, with which the encoder produces one rendition.
type EncodingOption struct {
	// ID and Name identify the option; Name is part of the output file name
	// (OutputName).
	ID   int    `json:"id,omitempty"`
	Name string `json:"name"`
	// Type is NORMAL (video and audio) or AUDIO (audio only); empty means
	// NORMAL.
	Type string `json:"encodingOptionType,omitempty"`
	// Format is the container, MP4 (the only documented value); empty means
	// MP4.
	Format string       `json:"format,omitempty"`
	Video  *VideoOption `json:"video,omitempty"`
	Audio  *AudioOption `json:"audio,omitempty"`
}

// VideoOption is the video part of an encoding option. Zero values mean
// "as the source".
type VideoOption struct {
	// Codec is AVC (H.264, encoded with libx264).
	Codec string `json:"codec"`
	// Profile is BASELINE, MAIN or HIGH; empty lets libx264 choose.
	Profile string `json:"profile,omitempty"`
	// Level is the H.264 level ("3.1", "4.0", "41"); empty or AUTO lets
	// libx264 choose. [?] The documented value set is not confirmed.
	Level string `json:"level,omitempty"`
	// Bitrate is the target video bit rate in Kbps.
	Bitrate int `json:"bitrate,omitempty"`
	// Width and Height bound the output size; the aspect ratio of the source
	// is kept and odd sizes are rounded down to even ones (H.264 4:2:0). One
	// of them alone scales the other proportionally.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// Framerate is the output frame rate in frames per second.
	Framerate float64 `json:"framerate,omitempty"`
	// MaxFramerate caps the source's frame rate when Framerate is 0.
	MaxFramerate float64 `json:"maxFramerate,omitempty"`
	// KeyframeInterval is the maximum distance between key frames, in
	// frames. [?] VOD Station's unit is not confirmed (frames is libx264's).
	// Key frames are also forced at every segment boundary (see
	// EncodeParams.KeyframeAlign) so that HLS packaging by stream copy cuts
	// segments of the channel's duration.
	KeyframeInterval int `json:"keyframeInterval,omitempty"`
	// RateControl is CBR or VBR; empty means VBR. [?] The documented value
	// set is not confirmed.
	RateControl string `json:"rateControl,omitempty"`
}

// AudioOption is the audio part of an encoding option.
type AudioOption struct {
	// Codec is AAC.
	Codec string `json:"codec"`
	// Channel is AUTO (as the source), 1 or 2.
	Channel string `json:"channel,omitempty"`
	// Bitrate is the audio bit rate in Kbps (16–320).
	Bitrate int `json:"bitrate,omitempty"`
	// SamplingRate is the output sampling rate in Hz; 0 keeps the source's.
	SamplingRate int `json:"samplingRate,omitempty"`
}

// IsAudio reports whether the option produces audio only.
func (o EncodingOption) IsAudio() bool { return strings.EqualFold(o.Type, TypeAudio) }

// aacSamplingRates are the rates the aac encoder accepts.
var aacSamplingRates = map[int]bool{
	8000: true, 11025: true, 12000: true, 16000: true, 22050: true, 24000: true,
	32000: true, 44100: true, 48000: true, 64000: true, 88200: true, 96000: true,
}

// Validate checks the option against the documented values. Every problem is
// reported, each naming its field.
func (o EncodingOption) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	switch strings.ToUpper(o.Type) {
	case "", TypeNormal:
		if o.Video == nil {
			bad("video", "required for a %s option", TypeNormal)
		}
	case TypeAudio:
		if o.Audio == nil {
			bad("audio", "required for an %s option", TypeAudio)
		}
	default:
		bad("encodingOptionType", "%q is not NORMAL or AUDIO", o.Type)
	}
	if f := strings.ToUpper(o.Format); f != "" && f != FormatMP4 {
		bad("format", "%q is not MP4", o.Format)
	}
	if v := o.Video; v != nil && !o.IsAudio() {
		switch strings.ToUpper(v.Codec) {
		case "AVC", "H264", "H.264":
		default:
			bad("video.codec", "%q is not AVC", v.Codec)
		}
		switch strings.ToUpper(v.Profile) {
		case "", "BASELINE", "MAIN", "HIGH":
		default:
			bad("video.codecOptions.profile", "%q is not BASELINE, MAIN or HIGH", v.Profile)
		}
		if _, err := x264Level(v.Level); err != nil {
			bad("video.codecOptions.level", "%v", err)
		}
		if v.Bitrate < 0 {
			bad("video.bitrate", "must not be negative")
		}
		if v.Width < 0 || v.Width == 1 || v.Height < 0 || v.Height == 1 {
			bad("video.width/height", "%dx%d is not a size", v.Width, v.Height)
		}
		if v.Framerate < 0 || v.Framerate > 120 {
			bad("video.framerate", "%g is out of range 0–120", v.Framerate)
		}
		if v.MaxFramerate < 0 || v.MaxFramerate > 120 {
			bad("video.maxFramerate", "%g is out of range 0–120", v.MaxFramerate)
		}
		if v.KeyframeInterval < 0 {
			bad("video.keyframeInterval", "must not be negative")
		}
		switch strings.ToUpper(v.RateControl) {
		case "", "CBR", "VBR":
		default:
			bad("video.rateControl", "%q is not CBR or VBR", v.RateControl)
		}
	}
	if a := o.Audio; a != nil {
		if !strings.EqualFold(a.Codec, "AAC") {
			bad("audio.codec", "%q is not AAC", a.Codec)
		}
		if _, err := audioChannels(a.Channel); err != nil {
			bad("audio.channel", "%v", err)
		}
		if a.Bitrate != 0 && (a.Bitrate < 16 || a.Bitrate > 320) {
			bad("audio.bitrate", "%d is out of range 16–320 Kbps", a.Bitrate)
		}
		if a.SamplingRate != 0 && !aacSamplingRates[a.SamplingRate] {
			bad("audio.samplingRate", "%d Hz is not a sampling rate AAC supports", a.SamplingRate)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("encoding option %q: %w", o.Name, errors.Join(errs...))
	}
	return nil
}

// x264Level turns "3.1", "31", "4" or "AUTO" into libx264's level argument
// ("" for automatic).
func x264Level(l string) (string, error) {
	l = strings.TrimSpace(l)
	if l == "" || strings.EqualFold(l, "AUTO") {
		return "", nil
	}
	f, err := strconv.ParseFloat(l, 64)
	if err != nil {
		return "", fmt.Errorf("%q is not an H.264 level", l)
	}
	if f >= 10 { // "31" means 3.1
		f /= 10
	}
	if f < 1 || f > 6.2 {
		return "", fmt.Errorf("%q is not an H.264 level (1–6.2)", l)
	}
	return strconv.FormatFloat(f, 'f', 1, 64), nil
}

// audioChannels turns AUTO, 1 or 2 into an ffmpeg -ac value (0 = as the
// source).
func audioChannels(c string) (int, error) {
	switch strings.ToUpper(strings.TrimSpace(c)) {
	case "", "AUTO":
		return 0, nil
	case "1", "MONO":
		return 1, nil
	case "2", "STEREO":
		return 2, nil
	}
	return 0, fmt.Errorf("%q is not AUTO, 1 or 2", c)
}
