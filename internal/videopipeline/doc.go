// Package videopipeline holds what checks examples/video-pipeline beyond
// applying it: the tests of its Cloud Functions actions
// (modules/vod-pipeline/functions/vod_pipeline.py), run for real with
// ncplocal's action runtime against ncplocal's API Gateway, which verifies
// their signatures exactly as it does any client's.
package videopipeline

// ActionsFile is the actions' source, relative to the repository root.
const ActionsFile = "examples/video-pipeline/modules/vod-pipeline/functions/vod_pipeline.py"
