package main

import "fmt"

// pipelineRows are the video pipeline's rows: upload → playable against
// plain ffmpeg (BenchmarkUploadToPlayable) and the burst
// (BenchmarkPipelineBurst).
func pipelineRows(r Results) []row {
	ladder := row{metric: "Upload → playable HLS master playlist, 10 s 1080p clip, 3-rendition ladder, relative to plain ffmpeg encoding the same ladder",
		target: "≤ 1.2×", result: notMeasured}
	ratio, ok := r.Mean("BenchmarkUploadToPlayable", "ratio")
	pipe, ok1 := r.Mean("BenchmarkUploadToPlayable", "pipeline-s")
	plain, ok2 := r.Mean("BenchmarkUploadToPlayable", "ffmpeg-s")
	if ok && ok1 && ok2 {
		ladder.result = fmt.Sprintf("%.2f× (%.1f s vs %.1f s)", ratio, pipe, plain)
	}
	burst := row{metric: "Burst of 20 uploads through the pipeline: throughput, and ncplocal's peak RSS",
		target: "— (memory bounded)", result: notMeasured}
	rate, ok := r.Mean("BenchmarkPipelineBurst", "uploads/s")
	rss, ok1 := r.Mean("BenchmarkPipelineBurst", "peak-rss-MiB")
	if ok && ok1 {
		burst.result = fmt.Sprintf("%.2f uploads/s, %.0f MiB", rate, rss)
	}
	return []row{ladder, burst}
}
