package main

import (
	"strings"
	"testing"
)

func TestPipelineRows(t *testing.T) {
	raw := `BenchmarkUploadToPlayable-2   	       3	22000000000 ns/op	        18.00 ffmpeg-s	        21.60 pipeline-s	         1.200 ratio
BenchmarkPipelineBurst-2      	       3	30000000000 ns/op	        42.00 peak-rss-MiB	        20.00 uploads/burst	         0.6700 uploads/s
`
	table := Table(ParseResults(raw), "m")
	for _, want := range []string{
		"relative to plain ffmpeg encoding the same ladder | ≤ 1.2× | 1.20× (21.6 s vs 18.0 s) | m |",
		"| — (memory bounded) | 0.67 uploads/s, 42 MiB | m |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if empty := Table(ParseResults(""), "m"); strings.Count(empty, "| not measured |") != strings.Count(empty, "\n")-2 {
		t.Errorf("without results every row should say not measured:\n%s", empty)
	}
}
