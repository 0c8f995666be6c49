package framework

import "time"

// Default timeouts of long-running operations. A resource uses them as the
// defaults of its terraform-plugin-framework-timeouts block, e.g.
// plan.Timeouts.Create(ctx, framework.DefaultCreateTimeout).
const (
	DefaultCreateTimeout = 20 * time.Minute
	DefaultReadTimeout   = 5 * time.Minute
	DefaultUpdateTimeout = 20 * time.Minute
	DefaultDeleteTimeout = 20 * time.Minute
)
