package vodstation

import "regexp"

// Channel rules (ncp-api.md §2.4) [C].
const (
	MinSegmentDuration = 5  // seconds (260013)
	MaxSegmentDuration = 20 // seconds (260013)
	MinChannelNameLen  = 3  // characters (260032)
	MaxChannelNameLen  = 20 // characters (260032)
)

// ChannelNameRE is a channel name: 3–20 letters, digits or '-' (260032) [C].
var ChannelNameRE = regexp.MustCompile(`^[A-Za-z0-9-]{3,20}$`)

// Protocols a channel streams (ncp-api.md §2.4) [C].
const (
	ProtocolHLS  = "HLS"
	ProtocolDASH = "DASH"
)

// Protocols lists the protocols of protocolList [C].
var Protocols = []string{ProtocolHLS, ProtocolDASH}

// Segment duration options [C].
const (
	SegmentDurationBasic    = "BASIC"
	SegmentDurationVariable = "VARIABLE"
)

// SegmentDurationOptions lists segmentDurationOption's values; BASIC is the
// default [C].
var SegmentDurationOptions = []string{SegmentDurationBasic, SegmentDurationVariable}

// CDN region types of cdn.regionType [C].
var CdnRegionTypes = []string{"KOREA", "JAPAN", "GLOBAL"}

// CdnTypeGlobalEdge is the only cdn.type ncplocal accepts (besides leaving it
// out): its value is inferred from Live Station's cdnType [?] (ncp-api.md
// §2.4).
const CdnTypeGlobalEdge = "GLOBAL_EDGE"

// Access controls of a category's output [C].
const (
	AccessPrivate    = "PRIVATE"
	AccessPublicRead = "PUBLIC_READ"
)

// AccessControls lists output.accessControl's values; PRIVATE is the
// default [C].
var AccessControls = []string{AccessPrivate, AccessPublicRead}

// Output file path rule (ncp-api.md §2.2) [C]: 1–256 characters without
// < > : " \ ? * %. The doc also forbids '/', but its own examples use it
// ("/vod"), so '/' is allowed [?].
const (
	MinFilePathLen = 1
	MaxFilePathLen = 256
	// FilePathForbidden are the characters a file path must not contain.
	FilePathForbidden = `<>:"\?*%`
)

// Encoding option rules (ncp-api.md §2.5) [C]: a name of 3–20 letters,
// digits, ':', '-' or '_'; format MP4.
const (
	MinOptionNameLen = 3
	MaxOptionNameLen = 20
	FormatMP4        = "MP4"
)

// OptionNameRE is a custom encoding option's name [C].
var OptionNameRE = regexp.MustCompile(`^[A-Za-z0-9:_-]{3,20}$`)

// Ranges of an encoding option's values. The create doc lists profile
// BASELINE|MAIN|HIGH, codec AVC, audio codec AAC, channel AUTO|1|2 and audio
// bitrate 16–320 Kbps [C]; the video bitrate, size, frame rate and key frame
// interval bounds are not stated and are ncplocal's [?].
const (
	MinVideoBitrate     = 100   // Kbps [?]
	MaxVideoBitrate     = 50000 // Kbps [?]
	MinVideoDimension   = 16    // pixels [?]
	MaxVideoDimension   = 4096  // pixels [?]
	MinFramerate        = 1     // fps [?]
	MaxFramerate        = 120   // fps [?]
	MinKeyframeInterval = 1     // frames [?]
	MaxKeyframeInterval = 600   // frames [?]
	MinAudioBitrate     = 16    // Kbps [C]
	MaxAudioBitrate     = 320   // Kbps [C]
)

// Enumerations of an encoding option [C] (levels and rate controls [?]).
var (
	VideoCodecs       = []string{"AVC"}
	VideoProfiles     = []string{"BASELINE", "MAIN", "HIGH"}
	VideoLevels       = []string{"AUTO", "3.0", "3.1", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2"}
	RateControls      = []string{"CBR", "VBR"}
	AudioCodecs       = []string{"AAC"}
	AudioChannels     = []string{"AUTO", "1", "2"}
	AudioSamplingRate = []int{22050, 32000, 44100, 48000}
	OptionTypes       = []string{OptionTypeNormal, OptionTypeAudio}
)

// Add-files limits (ncp-api.md §2.3) [C].
const MaxAddFiles = 100

// DownloadExtensions are the file types httpDownloadUrlList accepts [C].
var DownloadExtensions = []string{"AVI", "MOV", "MP4", "MP3", "3GP", "MPG", "MPEG", "M4V", "VOB", "WMV", "ASF", "MKV", "FLV", "WEBM", "GIF", "AV1", "MXF"}

// Paging (ncp-api.md §2.1) [C]: pageNo from 1 (260025 otherwise), 20 items
// per page by default.
const (
	DefaultPageSize = 20
)

// video and audio build the seeded options below.
func video(bitrate, width, height int, profile string) *Video {
	return &Video{Codec: "AVC", CodecOptions: &CodecOptions{Profile: profile, Level: "AUTO"}, Bitrate: bitrate,
		Width: width, Height: height, Framerate: 30, MaxFramerate: 30, KeyframeInterval: 60, RateControl: "VBR"}
}

func audio(bitrate int) *Audio {
	return &Audio{Codec: "AAC", Channel: "2", Bitrate: bitrate, SamplingRate: 44100}
}

// SystemEncodingOptions are the options every account has (defaultSet
// true). IDs 1–3 and their names are documented (ncp-api.md §2.5) [C]; the
// others, and every value, are realistic values of ncplocal's own [?], enough
// for the documented templates (options 1–4 and 10–13).
var SystemEncodingOptions = []EncodingOption{
	{ID: 1, EncodingOptionType: OptionTypeNormal, Name: "AVC_SD_1Pass_30fps", Format: FormatMP4, Video: video(1000, 640, 360, "MAIN"), Audio: audio(128)},
	{ID: 2, EncodingOptionType: OptionTypeNormal, Name: "AVC_SD_1Pass_30fps_1", Format: FormatMP4, Video: video(1500, 854, 480, "MAIN"), Audio: audio(128)},
	{ID: 3, EncodingOptionType: OptionTypeNormal, Name: "AVC_HD_1Pass_30fps", Format: FormatMP4, Video: video(3000, 1280, 720, "HIGH"), Audio: audio(128)},
	{ID: 4, EncodingOptionType: OptionTypeNormal, Name: "AVC_FHD_1Pass_30fps", Format: FormatMP4, Video: video(6000, 1920, 1080, "HIGH"), Audio: audio(192)},
	{ID: 5, EncodingOptionType: OptionTypeNormal, Name: "AVC_LD_1Pass_30fps", Format: FormatMP4, Video: video(400, 426, 240, "BASELINE"), Audio: audio(64)},
	{ID: 6, EncodingOptionType: OptionTypeAudio, Name: "AAC_128Kbps", Format: FormatMP4, Audio: audio(128)},
	{ID: 7, EncodingOptionType: OptionTypeAudio, Name: "AAC_256Kbps", Format: FormatMP4, Audio: audio(256)},
	{ID: 10, EncodingOptionType: OptionTypeNormal, Name: "AVC_HD_1Pass_60fps", Format: FormatMP4, Video: withFramerate(video(4500, 1280, 720, "HIGH"), 60), Audio: audio(192)},
	{ID: 11, EncodingOptionType: OptionTypeNormal, Name: "AVC_FHD_1Pass_60fps", Format: FormatMP4, Video: withFramerate(video(9000, 1920, 1080, "HIGH"), 60), Audio: audio(192)},
	{ID: 12, EncodingOptionType: OptionTypeNormal, Name: "AVC_QHD_1Pass_30fps", Format: FormatMP4, Video: video(16000, 2560, 1440, "HIGH"), Audio: audio(256)},
	{ID: 13, EncodingOptionType: OptionTypeNormal, Name: "AVC_UHD_1Pass_30fps", Format: FormatMP4, Video: video(35000, 3840, 2160, "HIGH"), Audio: audio(256)},
}

func withFramerate(v *Video, fps float64) *Video {
	v.Framerate, v.MaxFramerate, v.KeyframeInterval = fps, fps, int(2*fps)
	return v
}

// EncodingTemplates are the documented templates (ncp-api.md §2.5) [C].
var EncodingTemplates = []EncodingTemplate{
	{ID: 1, Name: "Practical content", EncodingOptionIDs: []int64{1, 2, 3}},
	{ID: 2, Name: "Business content", EncodingOptionIDs: []int64{2, 3, 4}},
	{ID: 3, Name: "Ultra-high-definition content", EncodingOptionIDs: []int64{10, 11, 12, 13}},
}

// Typical durations of the asynchronous operations, for the waiters' first
// poll (wait.Config.WithTypical): NCP does not document them [?]. The first
// poll comes at half the typical duration, so a transition shorter than
// that is seen late by more than the polling budget's 25 % (a 10 s guess
// made a 2 s channel creation return 3 s late); a short guess costs little
// when the transition is longer, as the schedule stretches on its own (12
// polls for 10 s). Like Global Edge's, it is timed for ncplocal's default
// async delay.
const (
	TypicalChannelTransitionSeconds = 2
)
