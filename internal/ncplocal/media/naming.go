package media

import (
	"path"
	"strings"
)

// Output naming of VOD Station's encoder.
//
// An encoded file is named after its input file without the extension, an
// underscore and the encoding option's name: input "movie.mp4" with option
// "AVC_SD_1Pass_30fps_1" gives "movie_AVC_SD_1Pass_30fps_1.mp4". Seen in
// published playback URLs (".../jdgdown_AVC_SD_1Pass_30fps_1.mp4/index.m3u8")
// and in the multi-bitrate URLs, which list option names between a common
// prefix "<name>_" and suffix ".mp4". [?] Not stated by the API docs.
//
// Audio-only (AUDIO) options give ".m4a" files (playback URLs of VOD
// Station-encoded audio end in ".m4a"). [?]
//
// Thumbnails are JPEGs named "<name>_01.jpg" (NCP's own sample video
// "..._Long_ver" has the poster "..._Long_ver_01.jpg"). [?]
//
// The files go under the category's (or the request's) output filePath, in
// a folder named after the category unless the request says
// withoutCategoryName (the category doc: "a folder named after the category
// is created"; add-files: output.withoutCategoryName). [?] The order
// filePath/category is not confirmed.

// OutputName returns the file name of the rendition of inputKey (a key or a
// file name) encoded with opt.
func OutputName(inputKey string, opt EncodingOption) string {
	ext := ".mp4"
	if opt.IsAudio() {
		ext = ".m4a"
	}
	return baseName(inputKey) + "_" + opt.Name + ext
}

// ThumbnailName returns the file name of the thumbnail of inputKey.
func ThumbnailName(inputKey string) string {
	return baseName(inputKey) + "_01.jpg"
}

// OutputDir returns the key prefix (no leading or trailing slash) the
// outputs of a category go under: filePath, then the category's name unless
// withoutCategoryName.
func OutputDir(filePath, categoryName string, withoutCategoryName bool) string {
	dir := strings.Trim(filePath, "/")
	if !withoutCategoryName && categoryName != "" {
		dir = path.Join(dir, categoryName)
	}
	return strings.Trim(dir, "/")
}

// OutputKey joins an output directory and a file name into an object key.
func OutputKey(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// baseName is the last element of key without its extension.
func baseName(key string) string {
	name := path.Base("/" + strings.TrimRight(key, "/"))
	if ext := path.Ext(name); ext != "" && ext != name {
		name = strings.TrimSuffix(name, ext)
	}
	return name
}
