package vodstation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// TypicalChannelTransition is how long a channel typically takes to become
// READY or STOPPED, for the waiters' first poll [?] (NCP does not say).
const TypicalChannelTransition = wire.TypicalChannelTransitionSeconds * time.Second

// Client calls VOD Station: one method per operation, nothing else (no
// waiting, no reconciliation).
type Client struct {
	core *client.Client
}

// New returns a VOD Station client on top of c.
func New(c *client.Client) *Client { return &Client{core: c} }

// Attempts is how many times one operation may be tried in all (see
// client.Client.Attempts).
func (c *Client) Attempts() int { return c.core.Attempts() }

// Journal is the provider block's create journal (client.Client.Journal).
func (c *Client) Journal() *journal.Journal { return c.core.Journal() }

// Page asks for one page of a list: No from 1, Size items (0: NCP's
// default).
type Page struct {
	No, Size int
}

func (p Page) query() url.Values {
	q := url.Values{}
	if p.No > 0 {
		q.Set(wire.QueryPageNo, strconv.Itoa(p.No))
	}
	if p.Size > 0 {
		q.Set(wire.QueryPageSizeNo, strconv.Itoa(p.Size))
	}
	return q
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// do sends one request and decodes content into out.
func (c *Client) do(ctx context.Context, op, method, path string, params []string, q url.Values, body, out any, idem client.Idempotency) (*client.JSONResponse, error) {
	return c.core.DoJSON(ctx, &client.JSONRequest{
		API: API, Operation: op, Method: method, Path: path, PathParams: params, Query: q, Body: body, Idempotency: idem,
	}, out)
}

// unusable is the error of a success answer that lacks what it must carry:
// for a create it is ambiguous (the object may exist).
func unusable(op, what string) error {
	return &client.Error{Service: ServiceName, Operation: op, Kind: client.KindAmbiguous,
		Message: "NCP answered success without " + what}
}

// ---- categories (ncp-api.md §2.2)

// ListCategories returns one page of categories and the total count.
func (c *Client) ListCategories(ctx context.Context, p Page) ([]wire.Category, int, error) {
	var out []wire.Category
	resp, err := c.do(ctx, "getCategoryList", http.MethodGet, wire.PathCategories, nil, p.query(), nil, &out, client.ByMethod)
	if err != nil {
		return nil, 0, err
	}
	return out, resp.Total, nil
}

// AllCategories lists every category, page by page.
func (c *Client) AllCategories(ctx context.Context) ([]wire.Category, error) {
	return all(ctx, func(ctx context.Context, p Page) ([]wire.Category, int, error) { return c.ListCategories(ctx, p) })
}

// all pages through a list of 100 items per page.
func all[T any](ctx context.Context, list func(context.Context, Page) ([]T, int, error)) ([]T, error) {
	const size = 100
	var out []T
	for no := 1; ; no++ {
		items, total, err := list(ctx, Page{No: no, Size: size})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) < size || (total >= 0 && len(out) >= total) {
			return out, nil
		}
	}
}

// GetCategory returns category id.
func (c *Client) GetCategory(ctx context.Context, categoryID int64) (*wire.Category, error) {
	var out wire.Category
	if _, err := c.do(ctx, "getCategory", http.MethodGet, wire.PathCategory, []string{id(categoryID)}, nil, nil, &out, client.ByMethod); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateCategory creates a category. It is not resent after an ambiguous
// failure; a success answer without the category's id is ambiguous too
// (the shape of the create answer is [?]).
func (c *Client) CreateCategory(ctx context.Context, req wire.CategoryRequest) (*wire.Category, error) {
	var out wire.Category
	if _, err := c.do(ctx, "createCategory", http.MethodPost, wire.PathCategories, nil, nil, req, &out, client.NotIdempotent); err != nil {
		return nil, err
	}
	if out.ID == 0 {
		return nil, unusable("createCategory", "the category's id")
	}
	return &out, nil
}

// UpdateCategory changes everything of a category but its name (the
// request's Name is not sent).
func (c *Client) UpdateCategory(ctx context.Context, categoryID int64, req wire.CategoryRequest) (*wire.Category, error) {
	req.Name = ""
	var out wire.Category
	if _, err := c.do(ctx, "updateCategory", http.MethodPut, wire.PathCategory, []string{id(categoryID)}, nil, req, &out, client.ByMethod); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteCategory deletes a category.
func (c *Client) DeleteCategory(ctx context.Context, categoryID int64) error {
	_, err := c.do(ctx, "deleteCategory", http.MethodDelete, wire.PathCategory, []string{id(categoryID)}, nil, nil, nil, client.ByMethod)
	return err
}

// AddFiles starts encoding files in a category and returns one entry per
// input, whose id is the fileId of GetFileStatus. It starts jobs, so it is
// never resent after an ambiguous failure.
func (c *Client) AddFiles(ctx context.Context, categoryID int64, req wire.AddFilesRequest) ([]wire.AddedFile, error) {
	var out []wire.AddedFile
	if _, err := c.do(ctx, "addFiles", http.MethodPut, wire.PathAddFiles, []string{id(categoryID)}, nil, req, &out, client.NotIdempotent); err != nil {
		return nil, err
	}
	return out, nil
}

// GetFileStatus returns the encoding status of one added file, with its
// category's id and name.
func (c *Client) GetFileStatus(ctx context.Context, fileID int64) (*wire.FileStatusResponse, error) {
	var content wire.FileStatus
	resp, err := c.do(ctx, "getStatusByFile", http.MethodGet, wire.PathStatusByFile, []string{id(fileID)}, nil, nil, &content, client.ByMethod)
	if err != nil {
		return nil, err
	}
	var out wire.FileStatusResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, &client.Error{Service: ServiceName, Operation: "getStatusByFile", Message: fmt.Sprintf("unreadable answer: %v", err)}
	}
	return &out, nil
}

// StatusFilter selects jobs of ListStatus by their start time (ms since
// the epoch; 0 leaves a bound out).
type StatusFilter struct {
	Page
	WorkStartTimeFrom, WorkStartTimeTo int64
}

// ListStatus returns one page of encoding jobs and the total count.
func (c *Client) ListStatus(ctx context.Context, f StatusFilter) ([]wire.StatusItem, int, error) {
	q := f.query()
	if f.WorkStartTimeFrom > 0 {
		q.Set(wire.QueryWorkStartTimeFrom, id(f.WorkStartTimeFrom))
	}
	if f.WorkStartTimeTo > 0 {
		q.Set(wire.QueryWorkStartTimeTo, id(f.WorkStartTimeTo))
	}
	var out []wire.StatusItem
	resp, err := c.do(ctx, "getStatusList", http.MethodGet, wire.PathStatusList, nil, q, nil, &out, client.ByMethod)
	if err != nil {
		return nil, 0, err
	}
	return out, resp.Total, nil
}

// ---- channels (ncp-api.md §2.4)

// ListChannels returns one page of channels and the total count.
func (c *Client) ListChannels(ctx context.Context, p Page) ([]wire.Channel, int, error) {
	var out []wire.Channel
	resp, err := c.do(ctx, "getChannelList", http.MethodGet, wire.PathChannels, nil, p.query(), nil, &out, client.ByMethod)
	if err != nil {
		return nil, 0, err
	}
	return out, resp.Total, nil
}

// AllChannels lists every channel, page by page.
func (c *Client) AllChannels(ctx context.Context) ([]wire.Channel, error) {
	return all(ctx, func(ctx context.Context, p Page) ([]wire.Channel, int, error) { return c.ListChannels(ctx, p) })
}

// GetChannel returns channel channelID.
func (c *Client) GetChannel(ctx context.Context, channelID string) (*wire.Channel, error) {
	var out wire.Channel
	if _, err := c.do(ctx, "getChannel", http.MethodGet, wire.PathChannel, []string{channelID}, nil, nil, &out, client.ByMethod); err != nil {
		return nil, err
	}
	return &out, nil
}

// channelAnswer checks that a create-like answer carries the channel.
func channelAnswer(op string, ch *wire.Channel, err error) (*wire.Channel, error) {
	if err != nil {
		return nil, err
	}
	if ch.ID == "" {
		return nil, unusable(op, "the channel's id")
	}
	return ch, nil
}

// CreateChannel creates a channel (and, with createCdn, its Global Edge
// edge). Never resent after an ambiguous failure.
func (c *Client) CreateChannel(ctx context.Context, req wire.CreateChannelRequest) (*wire.Channel, error) {
	var out wire.Channel
	_, err := c.do(ctx, "createChannel", http.MethodPost, wire.PathChannels, nil, nil, req, &out, client.NotIdempotent)
	return channelAnswer("createChannel", &out, err)
}

// UpdateChannel changes a channel's name, protocols, segment settings,
// encryption and DRM [C-3p].
func (c *Client) UpdateChannel(ctx context.Context, channelID string, req wire.UpdateChannelRequest) (*wire.Channel, error) {
	var out wire.Channel
	_, err := c.do(ctx, "updateChannel", http.MethodPut, wire.PathChannel, []string{channelID}, nil, req, &out, client.ByMethod)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// StartChannel starts a STOPPED channel (260022 otherwise). A resent start
// would be refused, so an ambiguous failure is returned as such and the
// caller decides by the channel's status.
func (c *Client) StartChannel(ctx context.Context, channelID string) (*wire.Channel, error) {
	var out wire.Channel
	_, err := c.do(ctx, "startChannel", http.MethodPut, wire.PathChannelStart, []string{channelID}, nil, nil, &out, client.NotIdempotent)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// StopChannel stops a READY channel (260023 otherwise); like StartChannel,
// never resent.
func (c *Client) StopChannel(ctx context.Context, channelID string) (*wire.Channel, error) {
	var out wire.Channel
	_, err := c.do(ctx, "stopChannel", http.MethodPut, wire.PathChannelStop, []string{channelID}, nil, nil, &out, client.NotIdempotent)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteChannel deletes a STOPPED channel (260024 otherwise); its CDN stays.
func (c *Client) DeleteChannel(ctx context.Context, channelID string) error {
	_, err := c.do(ctx, "deleteChannel", http.MethodDelete, wire.PathChannel, []string{channelID}, nil, nil, nil, client.NotIdempotent)
	return err
}

// ChannelEvents returns one page of a channel's events and the total count.
func (c *Client) ChannelEvents(ctx context.Context, channelID string, p Page) ([]wire.ChannelEvent, int, error) {
	var out []wire.ChannelEvent
	resp, err := c.do(ctx, "getChannelEvents", http.MethodGet, wire.PathChannelEvents, []string{channelID}, p.query(), nil, &out, client.ByMethod)
	if err != nil {
		return nil, 0, err
	}
	return out, resp.Total, nil
}

// CdnToEdge gives a STOPPED channel a Global Edge CDN.
func (c *Client) CdnToEdge(ctx context.Context, channelID string, cdn wire.ChannelCdn) (*wire.Channel, error) {
	var out wire.Channel
	_, err := c.do(ctx, "changeCdnToEdge", http.MethodPost, wire.PathChannelCdnToEdge, []string{channelID}, nil,
		wire.CdnToEdgeRequest{Cdn: cdn}, &out, client.NotIdempotent)
	return channelAnswer("changeCdnToEdge", &out, err)
}

// ListProtocols returns the protocols a channel can stream.
func (c *Client) ListProtocols(ctx context.Context) ([]wire.Protocol, error) {
	var out []wire.Protocol
	if _, err := c.do(ctx, "getProtocolList", http.MethodGet, wire.PathProtocols, nil, nil, nil, &out, client.ByMethod); err != nil {
		return nil, err
	}
	return out, nil
}

// ---- encoding options and templates (ncp-api.md §2.5)

// ListEncodingOptions returns every encoding option, the system's and the
// account's.
func (c *Client) ListEncodingOptions(ctx context.Context) ([]wire.EncodingOption, error) {
	var out []wire.EncodingOption
	if _, err := c.do(ctx, "getEncodingOptionList", http.MethodGet, wire.PathEncodingOptions, nil, nil, nil, &out, client.ByMethod); err != nil {
		return nil, err
	}
	return out, nil
}

// GetEncodingOption returns option optionID and whether the system provides
// it (defaultSet).
func (c *Client) GetEncodingOption(ctx context.Context, optionID int64) (*wire.EncodingOption, bool, error) {
	var content wire.EncodingOption
	resp, err := c.do(ctx, "getEncodingOption", http.MethodGet, wire.PathEncodingOption, []string{id(optionID)}, nil, nil, &content, client.ByMethod)
	if err != nil {
		return nil, false, err
	}
	var out wire.EncodingOptionResponse
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, false, &client.Error{Service: ServiceName, Operation: "getEncodingOption", Message: fmt.Sprintf("unreadable answer: %v", err)}
	}
	return &content, out.DefaultSet, nil
}

// CreateEncodingOption creates a custom encoding option; never resent.
func (c *Client) CreateEncodingOption(ctx context.Context, req wire.CreateEncodingOptionRequest) (*wire.EncodingOption, error) {
	var out wire.EncodingOption
	if _, err := c.do(ctx, "createEncodingOption", http.MethodPost, wire.PathEncodingOptions, nil, nil, req, &out, client.NotIdempotent); err != nil {
		return nil, err
	}
	if out.ID == 0 {
		return nil, unusable("createEncodingOption", "the option's id")
	}
	return &out, nil
}

// DeleteEncodingOption deletes a custom encoding option, on the documented
// camelCase path [?] (ncp-api.md §2.1).
func (c *Client) DeleteEncodingOption(ctx context.Context, optionID int64) error {
	_, err := c.do(ctx, "deleteEncodingOption", http.MethodDelete, wire.PathEncodingOptionDelete, []string{id(optionID)}, nil, nil, nil, client.ByMethod)
	return err
}

// ListEncodingTemplates returns the encoding templates.
func (c *Client) ListEncodingTemplates(ctx context.Context) ([]wire.EncodingTemplate, error) {
	var out []wire.EncodingTemplate
	if _, err := c.do(ctx, "getEncodingTemplateList", http.MethodGet, wire.PathEncodingTemplates, nil, nil, nil, &out, client.ByMethod); err != nil {
		return nil, err
	}
	return out, nil
}
