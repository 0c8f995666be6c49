// Package conns holds what the provider hands to every resource and data
// source at Configure time. It lives apart from package provider so that the
// service packages can use it without an import cycle.
package conns

import (
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// Meta is the provider's configured state, one per provider block.
type Meta struct {
	// Client is the signed, retrying NCP client of this provider block.
	Client *client.Client
	// Region is the NCP region code, e.g. "KR".
	Region string
	// Wait is the polling schedule of every waiter.
	Wait wait.Config
}
