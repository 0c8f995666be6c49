// Package vodstation holds the resources and data sources of NCP's VOD
// Station API v2: ncp_vod_category, ncp_vod_encoding_option,
// ncp_vod_channel and their data sources.
//
// As in the other service packages, finders (find.go) return a not-found
// error when NCP no longer has the object, status functions (status.go)
// map it to wait.Gone, and waiters (wait.go) poll with the provider's
// schedule inside the resource's timeouts.
package vodstation

import (
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"strconv"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// FindChannelByID returns channel id (getChannel); a channel being deleted
// (TERMINATING or TERMINATED) is not found either.
func FindChannelByID(ctx context.Context, conn *vodclient.Client, id string) (*wire.Channel, error) {
	ch, err := conn.GetChannel(ctx, id)
	if err != nil {
		return nil, err
	}
	if terminating(ch.ChannelStatus) {
		return nil, reconcile.NotFoundError(vodclient.ServiceName, "getChannel", fmt.Sprintf("channel %s (%s)", id, ch.ChannelStatus))
	}
	return ch, nil
}

func terminating(status string) bool {
	switch status {
	case wire.ChannelTerminating, wire.ChannelTerminated, wire.ChannelForceTerminating, wire.ChannelForceTerminated:
		return true
	}
	return false
}

// findChannelsByName lists the channels named name, those being deleted
// included (for reconciliation).
func findChannelsByName(ctx context.Context, conn *vodclient.Client, name string) ([]*wire.Channel, error) {
	all, err := conn.AllChannels(ctx)
	if err != nil {
		return nil, err
	}
	var out []*wire.Channel
	for i := range all {
		if all[i].Name == name {
			out = append(out, &all[i])
		}
	}
	return out, nil
}

// FindCategoryByID returns category id (getCategory).
func FindCategoryByID(ctx context.Context, conn *vodclient.Client, id int64) (*wire.Category, error) {
	return conn.GetCategory(ctx, id)
}

// findCategoriesByName lists the categories named name.
func findCategoriesByName(ctx context.Context, conn *vodclient.Client, name string) ([]*wire.Category, error) {
	all, err := conn.AllCategories(ctx)
	if err != nil {
		return nil, err
	}
	var out []*wire.Category
	for i := range all {
		if all[i].Name == name {
			out = append(out, &all[i])
		}
	}
	return out, nil
}

// FindEncodingOptionByID returns encoding option id and whether the system
// provides it.
func FindEncodingOptionByID(ctx context.Context, conn *vodclient.Client, id int64) (*wire.EncodingOption, bool, error) {
	return conn.GetEncodingOption(ctx, id)
}

// findCustomOptionsByName lists the account's own options named name.
func findCustomOptionsByName(ctx context.Context, conn *vodclient.Client, name string) ([]*wire.EncodingOption, error) {
	all, err := conn.ListEncodingOptions(ctx)
	if err != nil {
		return nil, err
	}
	var out []*wire.EncodingOption
	for i := range all {
		if all[i].Name == name && !isSystemOption(all[i].ID) {
			out = append(out, &all[i])
		}
	}
	return out, nil
}

func isSystemOption(id int64) bool {
	for _, o := range wire.SystemEncodingOptions {
		if o.ID == id {
			return true
		}
	}
	return false
}

// statusChannel is the refresh function of a channel waiter: the channel
// and its status, wait.Gone when NCP no longer has it.
func statusChannel(conn *vodclient.Client, id string) func(context.Context) (*wire.Channel, string, error) {
	return func(ctx context.Context) (*wire.Channel, string, error) {
		ch, err := conn.GetChannel(ctx, id)
		if client.IsNotFound(err) {
			return nil, wait.Gone, nil
		}
		if err != nil {
			return nil, "", err
		}
		if ch.ChannelStatus == wire.ChannelTerminated {
			return ch, wait.Gone, nil
		}
		return ch, ch.ChannelStatus, nil
	}
}

func channelWait(cfg wait.Config) wait.Config {
	return cfg.WithTypical(vodclient.TypicalChannelTransition)
}

// transitional are the statuses a channel passes through.
var transitional = []string{wire.ChannelCreating, wire.ChannelStarting, wire.ChannelStopping}

// waitChannel waits until channel id leaves the transitional statuses and
// returns it (READY or STOPPED).
func waitChannel(ctx context.Context, conn *vodclient.Client, cfg wait.Config, id string, target ...string) (*wire.Channel, error) {
	return wait.Until(ctx, channelWait(cfg), fmt.Sprintf("VOD Station channel %s to become %v", id, target), statusChannel(conn, id),
		transitional, target)
}

// waitChannelGone waits until channel id is gone.
func waitChannelGone(ctx context.Context, conn *vodclient.Client, cfg wait.Config, id string) error {
	_, err := wait.Until(ctx, channelWait(cfg), fmt.Sprintf("VOD Station channel %s to be deleted", id), statusChannel(conn, id),
		[]string{wire.ChannelStopped, wire.ChannelTerminating, wire.ChannelForceTerminating}, []string{wait.Gone})
	return err
}

func idString(n int64) string { return strconv.FormatInt(n, 10) }

func pathRoot(name string) path.Path { return path.Root(name) }
