// Package media is the ffmpeg/ffprobe plumbing shared by ncplocal's VOD
// Station and Global Edge emulators:
//
//   - [Probe] reads the metadata VOD Station's status API reports for a file;
//   - [Tools.Encode] turns an input into one MP4 rendition described by an
//     [EncodingOption] (VOD Station's encoding option), reporting progress;
//     [Tools.EncodeMany] makes several renditions with one decode;
//     [Tools.Thumbnail] extracts a JPEG still; [OutputName],
//     [ThumbnailName] and [OutputDir] name the outputs as VOD Station does;
//   - [Pool] runs encoding jobs on a bounded number of workers in FIFO order,
//     with the job states VOD Station reports (WAITING, RUNNING, COMPLETE,
//     FAILURE), batching the jobs of one input into one ffmpeg;
//   - [Packager] packages MP4 renditions as HLS (MPEG-TS or fMP4 segments,
//     by stream copy) and DASH, caches the result on disk, and serves it at
//     the playback URLs VOD Station documents ([ParsePlayPath], [PlayPath],
//     [Packager.Handler]).
//
// The package knows nothing of ncplocal's services: inputs and outputs are
// functions and small interfaces that the emulators implement.
//
// ffmpeg and ffprobe are found on PATH ([FindTools]); scripts/install-media-tools.sh
// installs them on Debian.
package media
