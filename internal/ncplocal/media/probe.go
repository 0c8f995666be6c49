package media

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// ErrNotMedia is wrapped by the errors of Probe (and so of Encode) for an
// input that is not an audio or video file ffmpeg can read.
var ErrNotMedia = errors.New("not a video or audio file")

// Metadata describes a media file. The first fields are those of
// content.input.metadata in VOD Station's status API, with its JSON names
// and units (ncp-api.md §2.3: duration in seconds, bitrates in Kbps,
// framerate as a string); the rest is what the packager needs to describe a
// rendition in a playlist. The VOD Station emulator copies the first group
// into its wire type.
type Metadata struct {
	Duration          float64 `json:"duration"`
	VideoCodec        string  `json:"videoCodec,omitempty"`
	VideoBitrate      float64 `json:"videoBitrate,omitempty"`
	Width             int     `json:"width,omitempty"`
	Height            int     `json:"height,omitempty"`
	Framerate         string  `json:"framerate,omitempty"`
	AudioCodec        string  `json:"audioCodec,omitempty"`
	AudioBitrate      float64 `json:"audioBitrate,omitempty"`
	AudioSamplingRate int     `json:"audioSamplingRate,omitempty"`

	// FormatName is ffprobe's container name ("mov,mp4,m4a,3gp,3g2,mj2").
	FormatName string `json:"formatName,omitempty"`
	// Size is the file size in bytes; Bitrate the overall bit rate in bits
	// per second.
	Size    int64 `json:"size,omitempty"`
	Bitrate int64 `json:"bitrate,omitempty"`
	// HasVideo and HasAudio tell which streams the file has.
	HasVideo bool `json:"hasVideo"`
	HasAudio bool `json:"hasAudio"`
	// FrameRate is Framerate as a number (frames per second).
	FrameRate float64 `json:"frameRateValue,omitempty"`
	// VideoProfile and VideoLevel are the H.264 profile ("High", "Main",
	// "Constrained Baseline") and level_idc (31 for 3.1).
	VideoProfile string `json:"videoProfile,omitempty"`
	VideoLevel   int    `json:"videoLevel,omitempty"`
	// AudioProfile is the AAC profile ("LC", "HE-AAC"); AudioChannels the
	// channel count.
	AudioProfile  string `json:"audioProfile,omitempty"`
	AudioChannels int    `json:"audioChannels,omitempty"`
}

// Codecs returns the RFC 6381 codec list an HLS master playlist's CODECS
// attribute carries for this file ("avc1.64001f,mp4a.40.2"), or "" when a
// stream's codec has no known code.
func (m Metadata) Codecs() string {
	var parts []string
	if m.HasVideo {
		c := avcCodec(m.VideoCodec, m.VideoProfile, m.VideoLevel)
		if c == "" {
			return ""
		}
		parts = append(parts, c)
	}
	if m.HasAudio {
		c := aacCodec(m.AudioCodec, m.AudioProfile)
		if c == "" {
			return ""
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, ",")
}

func avcCodec(codec, profile string, level int) string {
	if codec != "h264" || level <= 0 {
		return ""
	}
	// profile_idc and the constraint flags byte of the avcC box.
	var idc, constraints int
	switch profile {
	case "Constrained Baseline":
		idc, constraints = 0x42, 0xC0
	case "Baseline":
		idc, constraints = 0x42, 0x80
	case "Main":
		idc, constraints = 0x4D, 0x40
	case "Extended":
		idc, constraints = 0x58, 0x00
	case "High":
		idc = 0x64
	case "High 10":
		idc = 0x6E
	case "High 4:2:2":
		idc = 0x7A
	case "High 4:4:4 Predictive":
		idc = 0xF4
	default:
		return ""
	}
	return fmt.Sprintf("avc1.%02x%02x%02x", idc, constraints, level)
}

func aacCodec(codec, profile string) string {
	switch codec {
	case "aac":
		switch profile {
		case "HE-AAC":
			return "mp4a.40.5"
		case "HE-AACv2":
			return "mp4a.40.29"
		default:
			return "mp4a.40.2"
		}
	case "mp3":
		return "mp4a.40.34"
	}
	return ""
}

// Probe reads the metadata of the file at path with the ffprobe found on
// PATH. See Tools.Probe.
func Probe(ctx context.Context, path string) (Metadata, error) {
	t, err := FindTools()
	if err != nil {
		return Metadata{}, err
	}
	return t.Probe(ctx, path)
}

type ffprobeOutput struct {
	Streams []struct {
		CodecType    string `json:"codec_type"`
		CodecName    string `json:"codec_name"`
		Profile      string `json:"profile"`
		Level        int    `json:"level"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		AvgFrameRate string `json:"avg_frame_rate"`
		RFrameRate   string `json:"r_frame_rate"`
		BitRate      string `json:"bit_rate"`
		SampleRate   string `json:"sample_rate"`
		Channels     int    `json:"channels"`
		Duration     string `json:"duration"`
		Disposition  struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
	Format struct {
		FormatName string `json:"format_name"`
		Duration   string `json:"duration"`
		Size       string `json:"size"`
		BitRate    string `json:"bit_rate"`
	} `json:"format"`
}

// imageFormats are ffprobe format names of still images, which have a video
// stream but are not videos.
var imageFormats = []string{"image2", "png_pipe", "jpeg_pipe", "bmp_pipe", "gif_pipe", "webp_pipe", "tiff_pipe", "svg_pipe"}

// Probe reads the metadata of the file at path. A file that is not an audio
// or video file (text, an image, a truncated upload) gives an error wrapping
// ErrNotMedia that says why; a missing file gives the file system's error.
func (t Tools) Probe(ctx context.Context, path string) (Metadata, error) {
	if _, err := os.Stat(path); err != nil {
		return Metadata{}, err
	}
	out, err := runTool(ctx, t.FFprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path)
	if err != nil {
		if ctx.Err() != nil {
			return Metadata{}, err
		}
		return Metadata{}, fmt.Errorf("%w: %w", ErrNotMedia, err)
	}
	var p ffprobeOutput
	if err := json.Unmarshal(out, &p); err != nil {
		return Metadata{}, fmt.Errorf("ffprobe output: %w", err)
	}
	m := Metadata{
		FormatName: p.Format.FormatName,
		Duration:   parseFloat(p.Format.Duration),
		Size:       int64(parseFloat(p.Format.Size)),
		Bitrate:    int64(parseFloat(p.Format.BitRate)),
	}
	for _, f := range imageFormats {
		if p.Format.FormatName == f {
			return Metadata{}, fmt.Errorf("%w: %s is a still image (%s)", ErrNotMedia, path, f)
		}
	}
	for _, s := range p.Streams {
		switch {
		case s.CodecType == "video" && s.Disposition.AttachedPic == 0 && !m.HasVideo:
			m.HasVideo = true
			m.VideoCodec = s.CodecName
			m.VideoProfile = s.Profile
			m.VideoLevel = s.Level
			m.Width, m.Height = s.Width, s.Height
			m.VideoBitrate = kbps(s.BitRate)
			m.FrameRate = parseRate(s.AvgFrameRate)
			if m.FrameRate == 0 {
				m.FrameRate = parseRate(s.RFrameRate)
			}
			m.Framerate = formatRate(m.FrameRate)
			if m.Duration == 0 {
				m.Duration = parseFloat(s.Duration)
			}
		case s.CodecType == "audio" && !m.HasAudio:
			m.HasAudio = true
			m.AudioCodec = s.CodecName
			m.AudioProfile = s.Profile
			m.AudioBitrate = kbps(s.BitRate)
			m.AudioSamplingRate = int(parseFloat(s.SampleRate))
			m.AudioChannels = s.Channels
			if m.Duration == 0 {
				m.Duration = parseFloat(s.Duration)
			}
		}
	}
	switch {
	case !m.HasVideo && !m.HasAudio:
		return Metadata{}, fmt.Errorf("%w: %s has no audio or video stream (format %q)", ErrNotMedia, path, p.Format.FormatName)
	case m.Duration <= 0:
		return Metadata{}, fmt.Errorf("%w: %s has no duration (format %q)", ErrNotMedia, path, p.Format.FormatName)
	}
	m.Duration = math.Round(m.Duration*1000) / 1000
	return m, nil
}

func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// kbps converts ffprobe's bits per second to Kbps, rounded to 0.1.
func kbps(bps string) float64 {
	return math.Round(parseFloat(bps)/100) / 10
}

// parseRate parses ffprobe's "30000/1001" rates.
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseFloat(s)
	}
	d := parseFloat(den)
	if d == 0 {
		return 0
	}
	return parseFloat(num) / d
}

// formatRate prints a frame rate with at most two decimals: "30", "29.97".
func formatRate(r float64) string {
	if r <= 0 {
		return ""
	}
	return strconv.FormatFloat(math.Round(r*100)/100, 'f', -1, 64)
}
