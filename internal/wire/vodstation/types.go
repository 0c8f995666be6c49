package vodstation

import "encoding/json"

// Paths of the VOD Station API v2 (ncp-api.md §2.1) [C]. "{...}" are path
// parameters for client.BuildPath and ncplocal's router.
const (
	PathCategories        = "/api/v2/category"
	PathCategory          = "/api/v2/category/{categoryId}"
	PathAddFiles          = "/api/v2/category/{categoryId}/add-files"
	PathChannels          = "/api/v2/channels"
	PathChannel           = "/api/v2/channels/{channelId}"
	PathChannelStart      = "/api/v2/channels/{channelId}/start"
	PathChannelStop       = "/api/v2/channels/{channelId}/stop"
	PathChannelEvents     = "/api/v2/channels/{channelId}/events"
	PathChannelCdnToEdge  = "/api/v2/channels/{channelId}/cdn-to-edge"
	PathProtocols         = "/api/v2/protocols"
	PathEncodingOptions   = "/api/v2/encoding-option"
	PathEncodingOption    = "/api/v2/encoding-option/{encodingOptionId}"
	PathEncodingTemplates = "/api/v2/encoding-option/template"
	PathStatusList        = "/api/v2/status"
	PathStatusByFile      = "/api/v2/status/{fileId}"
	PathStatusStatistic   = "/api/v2/status/status-statistic"
	// PathEncodingOptionDelete is the delete path as the API index gives it,
	// in camelCase [?] (ncp-api.md §2.1); ncplocal serves the DELETE on
	// PathEncodingOption too.
	PathEncodingOptionDelete = "/api/v2/encodingOption/{encodingOptionId}"
)

// Paging query parameters (ncp-api.md §2.1) [C].
const (
	QueryPageNo            = "pageNo"
	QueryPageSizeNo        = "pageSizeNo"
	QueryWorkStartTimeFrom = "workStartTimeFrom"
	QueryWorkStartTimeTo   = "workStartTimeTo"
)

// Output is where a category (or one add-files request) writes its
// renditions and thumbnails (ncp-api.md §2.2) [C].
type Output struct {
	BucketName             string `json:"bucketName,omitempty"`
	FilePath               string `json:"filePath,omitempty"`
	AccessControl          string `json:"accessControl,omitempty"`
	ThumbnailAccessControl string `json:"thumbnailAccessControl,omitempty"`
	ThumbnailBucketName    string `json:"thumbnailBucketName,omitempty"`
	ThumbnailFilePath      string `json:"thumbnailFilePath,omitempty"`
	// WithoutCategoryName is an add-files field only: no folder named
	// after the category under FilePath (ncp-api.md §2.3) [C].
	WithoutCategoryName *bool `json:"withoutCategoryName,omitempty"`
}

// Category is a category as get and list answer it (ncp-api.md §2.2) [C].
// The id is an Integer in the current docs (a String in an old revision
// [?]).
type Category struct {
	Disabled                 bool    `json:"disabled"`
	ID                       int64   `json:"id"`
	Name                     string  `json:"name"`
	EncodingOptions          []int64 `json:"encodingOptions"`
	EncodingOptionTemplateID *int64  `json:"encodingOptionTemplateId,omitempty"`
	Thumbnail                bool    `json:"thumbnail"`
	NotificationURL          string  `json:"notificationUrl,omitempty"`
	Output                   Output  `json:"output"`
	// LastWorkStart is when the category last started encoding, in ms.
	LastWorkStart *int64 `json:"lastWorkStart,omitempty"`
}

// CategoryRequest is the body of category create and update (ncp-api.md
// §2.2) [C]; update sends everything but Name. Pointers and omitempty leave
// out what the caller did not set.
type CategoryRequest struct {
	Name                     string          `json:"name,omitempty"`
	EncodingOptions          []int64         `json:"encodingOptions,omitempty"`
	EncodingOptionTemplateID *int64          `json:"encodingOptionTemplateId,omitempty"`
	Thumbnail                *bool           `json:"thumbnail,omitempty"`
	NotificationURL          *string         `json:"notificationUrl,omitempty"`
	Output                   *Output         `json:"output,omitempty"`
	AdvancedOptions          json.RawMessage `json:"advancedOptions,omitempty"`
}

// AddFilesRequest is the body of add-files (ncp-api.md §2.3) [C]: bucketName
// with pathList, or httpDownloadUrlList, never both. The per-request
// callback is "notification" in the current doc and "notificationUrl" in
// the old doc and the tutorial; both are accepted.
type AddFilesRequest struct {
	BucketName          string          `json:"bucketName,omitempty"`
	PathList            []string        `json:"pathList,omitempty"`
	HTTPDownloadURLList []string        `json:"httpDownloadUrlList,omitempty"`
	Notification        string          `json:"notification,omitempty"`
	NotificationURL     string          `json:"notificationUrl,omitempty"`
	Output              *Output         `json:"output,omitempty"`
	SetAdvancedOptions  *bool           `json:"setAdvancedOptions,omitempty"`
	AdvancedOptions     json.RawMessage `json:"advancedOptions,omitempty"`
}

// AddedFile is one entry of the add-files answer: id is the fileId of
// GET /api/v2/status/{fileId} [C]; the other fields are ncplocal's [?].
type AddedFile struct {
	ID       int64  `json:"id"`
	FilePath string `json:"filePath,omitempty"`
	FileURL  string `json:"fileUrl,omitempty"`
}

// Encoding job statuses (ncp-api.md §2.3) [C].
const (
	JobWaiting  = "WAITING"
	JobRunning  = "RUNNING"
	JobComplete = "COMPLETE"
	JobFailure  = "FAILURE"
)

// JobCallback is the body VOD Station POSTs to a notification URL, once per
// encoding option and status (ncp-api.md §2.3) [C]. FilePath is "" while
// WAITING; Link (the output URL) is set only when COMPLETE.
type JobCallback struct {
	CategoryID       int64  `json:"categoryId"`
	CategoryName     string `json:"categoryName"`
	FileID           int64  `json:"fileId"`
	FilePath         string `json:"filePath"`
	EncodingOptionID int64  `json:"encodingOptionId"`
	OutputType       string `json:"outputType"`
	Status           string `json:"status"`
	Link             string `json:"link,omitempty"`
}

// MediaMetadata describes an input file (ncp-api.md §2.3) [C].
type MediaMetadata struct {
	Duration          float64 `json:"duration,omitempty"`
	VideoCodec        string  `json:"videoCodec,omitempty"`
	VideoBitrate      int64   `json:"videoBitrate,omitempty"`
	Width             int     `json:"width,omitempty"`
	Height            int     `json:"height,omitempty"`
	Framerate         float64 `json:"framerate,omitempty"`
	AudioCodec        string  `json:"audioCodec,omitempty"`
	AudioBitrate      int64   `json:"audioBitrate,omitempty"`
	AudioSamplingRate int     `json:"audioSamplingRate,omitempty"`
}

// FileInput is the input part of a file's status [C].
type FileInput struct {
	FileID     int64          `json:"fileId"`
	BucketName string         `json:"bucketName,omitempty"`
	FilePath   string         `json:"filePath,omitempty"`
	Metadata   *MediaMetadata `json:"metadata,omitempty"`
}

// FileOutput is one encoding job of a file: the output fields are not
// confirmed by the docs [?].
type FileOutput struct {
	EncodingOptionID int64  `json:"encodingOptionId"`
	OutputType       string `json:"outputType"`
	Status           string `json:"status"`
	BucketName       string `json:"bucketName,omitempty"`
	FilePath         string `json:"filePath,omitempty"`
	Link             string `json:"link,omitempty"`
	Progress         int    `json:"progress"`
	WorkStartTime    *int64 `json:"workStartTime,omitempty"`
	WorkEndTime      *int64 `json:"workEndTime,omitempty"`
	FailureReason    string `json:"failureReason,omitempty"`
}

// FileStatus is the content of GET /api/v2/status/{fileId}; categoryId
// and categoryName come beside content (FileStatusResponse) [C].
type FileStatus struct {
	Input  FileInput    `json:"input"`
	Output []FileOutput `json:"output"`
}

// FileStatusResponse is the whole answer of GET /api/v2/status/{fileId}
// (ncp-api.md §2.3) [C].
type FileStatusResponse struct {
	Content      FileStatus `json:"content"`
	CategoryID   int64      `json:"categoryId"`
	CategoryName string     `json:"categoryName"`
}

// StatusItem is one job of GET /api/v2/status; the item shape is not
// documented [?].
type StatusItem struct {
	FileID           int64  `json:"fileId"`
	CategoryID       int64  `json:"categoryId"`
	CategoryName     string `json:"categoryName"`
	InputFilePath    string `json:"inputFilePath"`
	EncodingOptionID int64  `json:"encodingOptionId"`
	OutputType       string `json:"outputType"`
	Status           string `json:"status"`
	OutputFilePath   string `json:"outputFilePath,omitempty"`
	Link             string `json:"link,omitempty"`
	WorkStartTime    *int64 `json:"workStartTime,omitempty"`
	WorkEndTime      *int64 `json:"workEndTime,omitempty"`
}

// Channel statuses (ncp-api.md §2.4) [C].
const (
	ChannelCreating         = "CREATING"
	ChannelReady            = "READY"
	ChannelStopping         = "STOPPING"
	ChannelStopped          = "STOPPED"
	ChannelStarting         = "STARTING"
	ChannelTerminating      = "TERMINATING"
	ChannelTerminated       = "TERMINATED"
	ChannelForceStopping    = "FORCE_STOPPING"
	ChannelForceStopped     = "FORCE_STOPPED"
	ChannelForceTerminating = "FORCE_TERMINATING"
	ChannelForceTerminated  = "FORCE_TERMINATED"
)

// CdnStatusNone is a channel's cdnStatus when no CDN was created with it
// ("none", ncp-api.md §2.4) [C].
const CdnStatusNone = "none"

// ChannelCdn is the cdn object of channel create and cdn-to-edge
// (ncp-api.md §2.4) [C]. Type's values are not confirmed: GLOBAL_EDGE [?].
type ChannelCdn struct {
	ProfileID  int64  `json:"profileId"`
	RegionType string `json:"regionType"`
	Type       string `json:"type,omitempty"`
}

// Encryption is one item of a channel's encryptionList [C].
type Encryption struct {
	Protocol             string   `json:"protocol"`
	DrmContentID         string   `json:"drmContentId,omitempty"`
	DrmKeyURL            string   `json:"drmKeyUrl,omitempty"`
	SystemIDList         []string `json:"systemIdList,omitempty"`
	DrmTypeCode          int      `json:"drmTypeCode,omitempty"`
	MediaEncryptTypeCode int      `json:"mediaEncryptTypeCode,omitempty"`
}

// Drm is a channel's Multi-DRM setting [C].
type Drm struct {
	SiteID    string `json:"siteId,omitempty"`
	ContentID string `json:"contentId,omitempty"`
}

// CreateChannelRequest is the body of POST /api/v2/channels (ncp-api.md
// §2.4) [C]. CreateCdn is required, hence a pointer.
type CreateChannelRequest struct {
	Name                  string       `json:"name"`
	StorageBucketName     string       `json:"storageBucketName"`
	AccessPrivateFiles    *bool        `json:"accessPrivateFiles,omitempty"`
	ProtocolList          []string     `json:"protocolList"`
	EncryptionList        []Encryption `json:"encryptionList,omitempty"`
	SegmentDuration       int          `json:"segmentDuration"`
	SegmentDurationOption string       `json:"segmentDurationOption,omitempty"`
	CreateCdn             *bool        `json:"createCdn"`
	Cdn                   *ChannelCdn  `json:"cdn,omitempty"`
	Drm                   *Drm         `json:"drm,omitempty"`
	NotificationURL       string       `json:"notificationUrl,omitempty"`
}

// UpdateChannelRequest is the body of PUT /api/v2/channels/{channelId}
// [C-3p] (ncp-api.md §2.1: only a third-party client documents it).
type UpdateChannelRequest struct {
	Name                  string       `json:"name,omitempty"`
	ProtocolList          []string     `json:"protocolList,omitempty"`
	SegmentDuration       int          `json:"segmentDuration,omitempty"`
	SegmentDurationOption string       `json:"segmentDurationOption,omitempty"`
	EncryptionList        []Encryption `json:"encryptionList,omitempty"`
	Drm                   *Drm         `json:"drm,omitempty"`
}

// CdnToEdgeRequest is the body of POST .../cdn-to-edge (ncp-api.md §2.4) [C].
type CdnToEdgeRequest struct {
	Cdn ChannelCdn `json:"cdn"`
}

// Channel is a channel as get, list, start, stop and cdn-to-edge answer it
// (ncp-api.md §2.4) [C]. The time fields are documented as seconds or ms
// [?]; ncplocal answers ms.
type Channel struct {
	Disabled              bool         `json:"disabled"`
	ID                    string       `json:"id"`
	Name                  string       `json:"name"`
	ChannelStatus         string       `json:"channelStatus"`
	StorageBucketName     string       `json:"storageBucketName"`
	EncryptedBucketName   string       `json:"encryptedBucketName"`
	SegmentDuration       int          `json:"segmentDuration"`
	SegmentDurationOption string       `json:"segmentDurationOption"`
	AccessPrivateFiles    bool         `json:"accessPrivateFiles"`
	ProtocolList          []string     `json:"protocolList"`
	EncryptionList        []Encryption `json:"encryptionList,omitempty"`
	CreateTime            *int64       `json:"createTime,omitempty"`
	ReadyTime             *int64       `json:"readyTime,omitempty"`
	CdnCreatedTime        *int64       `json:"cdnCreatedTime,omitempty"`
	PlayURL               string       `json:"playUrl"`
	CdnStatus             string       `json:"cdnStatus"`
	CdnDomain             string       `json:"cdnDomain,omitempty"`
	CdnServiceName        string       `json:"cdnServiceName,omitempty"`
	CdnType               string       `json:"cdnType,omitempty"`
	CdnEdgeID             *int64       `json:"cdnEdgeId,omitempty"`
	CdnProfileID          *int64       `json:"cdnProfileId,omitempty"`
	CdnRegionType         string       `json:"cdnRegionType,omitempty"`
	NotificationURL       string       `json:"notificationUrl,omitempty"`
}

// ChannelCallback is the body of a channel status callback (ncp-api.md
// §2.4) [C].
type ChannelCallback struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	ChannelStatus string `json:"channelStatus"`
}

// ChannelEvent is one item of GET .../events. The fields are not documented
// [?]; ncplocal records one per operation on the channel.
type ChannelEvent struct {
	ChannelID     string `json:"channelId"`
	EventType     string `json:"eventType"`
	ChannelStatus string `json:"channelStatus"`
	Message       string `json:"message,omitempty"`
	EventTime     int64  `json:"eventTime"`
}

// Protocol is one item of GET /api/v2/protocols [?] (fields not confirmed).
type Protocol struct {
	Name string `json:"name"`
}

// Encoding option types (ncp-api.md §2.5) [C].
const (
	OptionTypeNormal = "NORMAL"
	OptionTypeAudio  = "AUDIO"
)

// CodecOptions are a video codec's profile and level [C].
type CodecOptions struct {
	Profile string `json:"profile,omitempty"`
	Level   string `json:"level,omitempty"`
}

// Video is the video part of an encoding option [C].
type Video struct {
	Codec            string        `json:"codec"`
	CodecOptions     *CodecOptions `json:"codecOptions,omitempty"`
	Bitrate          int           `json:"bitrate,omitempty"`
	Width            int           `json:"width,omitempty"`
	Height           int           `json:"height,omitempty"`
	Framerate        float64       `json:"framerate,omitempty"`
	MaxFramerate     float64       `json:"maxFramerate,omitempty"`
	KeyframeInterval int           `json:"keyframeInterval,omitempty"`
	RateControl      string        `json:"rateControl,omitempty"`
}

// Audio is the audio part of an encoding option [C].
type Audio struct {
	Codec        string `json:"codec"`
	Channel      string `json:"channel,omitempty"`
	Bitrate      int    `json:"bitrate,omitempty"`
	SamplingRate int    `json:"samplingRate,omitempty"`
}

// EncodingOption is an encoding option as list and get answer it
// (ncp-api.md §2.5) [C].
type EncodingOption struct {
	Disabled           bool   `json:"disabled"`
	ID                 int64  `json:"id"`
	EncodingOptionType string `json:"encodingOptionType"`
	Name               string `json:"name"`
	Format             string `json:"format"`
	Video              *Video `json:"video,omitempty"`
	Audio              *Audio `json:"audio,omitempty"`
}

// EncodingOptionResponse is the whole answer of GET .../encoding-option/{id}:
// defaultSet (true for the system's options) beside content [C].
type EncodingOptionResponse struct {
	Content    EncodingOption `json:"content"`
	DefaultSet bool           `json:"defaultSet"`
}

// CreateEncodingOptionRequest is the body of POST /api/v2/encoding-option
// [C]: Video is left out for AUDIO.
type CreateEncodingOptionRequest struct {
	EncodingOptionType string `json:"encodingOptionType,omitempty"`
	Name               string `json:"name"`
	Format             string `json:"format,omitempty"`
	Video              *Video `json:"video,omitempty"`
	Audio              *Audio `json:"audio,omitempty"`
}

// EncodingTemplate is one item of GET /api/v2/encoding-option/template
// (ncp-api.md §2.5) [C].
type EncodingTemplate struct {
	ID                int64   `json:"id"`
	Name              string  `json:"name"`
	EncodingOptionIDs []int64 `json:"encodingOptionIds"`
}
