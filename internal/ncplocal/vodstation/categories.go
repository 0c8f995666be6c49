package vodstation

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

var sprintf = fmt.Sprintf

// categoryRec is a stored category.
type categoryRec struct {
	ID              int64       `json:"id"`
	Name            string      `json:"name"`
	EncodingOptions []int64     `json:"encodingOptions"`
	TemplateID      *int64      `json:"templateId,omitempty"`
	Thumbnail       bool        `json:"thumbnail"`
	NotificationURL string      `json:"notificationUrl,omitempty"`
	Output          wire.Output `json:"output"`
	LastWorkStart   *int64      `json:"lastWorkStart,omitempty"`
}

func (c *categoryRec) wire() wire.Category {
	return wire.Category{
		ID: c.ID, Name: c.Name, EncodingOptions: slices.Clone(c.EncodingOptions), EncodingOptionTemplateID: c.TemplateID,
		Thumbnail: c.Thumbnail, NotificationURL: c.NotificationURL, Output: c.Output, LastWorkStart: c.LastWorkStart,
	}
}

// outputDir is the key prefix of the category's folder: the output path,
// then the category's name (ncp-api.md §2.2: "a folder with this name is
// created automatically under output"; the order is [?]).
func outputDir(filePath, name string, withoutCategoryName bool) string {
	dir := strings.Trim(filePath, "/")
	if !withoutCategoryName {
		dir = path.Join(dir, name)
	}
	return strings.Trim(dir, "/")
}

// checkFilePath applies the output path rule (ncp-api.md §2.2).
func checkFilePath(field, p string) error {
	n := utf8.RuneCountInString(p)
	if n < wire.MinFilePathLen || n > wire.MaxFilePathLen {
		return errValue("%s must be %d to %d characters (got %d)", field, wire.MinFilePathLen, wire.MaxFilePathLen, n)
	}
	if i := strings.IndexAny(p, wire.FilePathForbidden); i >= 0 {
		return errValue("%s must not contain %q (any of %s)", field, p[i:i+1], wire.FilePathForbidden)
	}
	return nil
}

// checkOutput validates and completes an output: bucket (260021), path and
// access controls; the thumbnail bucket and path default to the output's.
func (s *Service) checkOutput(account string, o *wire.Output, field string) error {
	if o == nil {
		return errInput("%s is required", field)
	}
	if err := s.checkBucket(account, field+".bucketName", o.BucketName); err != nil {
		return err
	}
	if o.FilePath == "" {
		return errInput("%s.filePath is required", field)
	}
	if err := checkFilePath(field+".filePath", o.FilePath); err != nil {
		return err
	}
	if o.ThumbnailBucketName == "" {
		o.ThumbnailBucketName = o.BucketName
	} else if err := s.checkBucket(account, field+".thumbnailBucketName", o.ThumbnailBucketName); err != nil {
		return err
	}
	if o.ThumbnailFilePath == "" {
		o.ThumbnailFilePath = o.FilePath
	} else if err := checkFilePath(field+".thumbnailFilePath", o.ThumbnailFilePath); err != nil {
		return err
	}
	for _, ac := range []struct {
		name string
		v    *string
	}{{"accessControl", &o.AccessControl}, {"thumbnailAccessControl", &o.ThumbnailAccessControl}} {
		if *ac.v == "" {
			*ac.v = wire.AccessPrivate
		} else if !contains(wire.AccessControls, *ac.v) {
			return errValue("%s.%s must be one of %s (got %q)", field, ac.name, strings.Join(wire.AccessControls, ", "), *ac.v)
		}
	}
	return nil
}

// template returns seeded template id.
func template(id int64) (wire.EncodingTemplate, bool) {
	for _, t := range wire.EncodingTemplates {
		if t.ID == id {
			return t, true
		}
	}
	return wire.EncodingTemplate{}, false
}

// resolveOptions checks a category's encoding options and template and
// returns the options it encodes with: the listed ones (which, with a
// template, must be the template's), or the template's.
func (s *Service) resolveOptions(tx *emu.Tx, account string, ids []int64, templateID *int64) ([]int64, error) {
	var allowed []int64
	if templateID != nil {
		t, ok := template(*templateID)
		if !ok {
			return nil, errValue("encodingOptionTemplateId: no template %d", *templateID)
		}
		allowed = t.EncodingOptionIDs
	}
	if len(ids) == 0 {
		if templateID == nil {
			return nil, errInput("encodingOptions or encodingOptionTemplateId is required")
		}
		return slices.Clone(allowed), nil
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			return nil, errValue("encodingOptions: option %d is listed twice", id)
		}
		seen[id] = true
		if templateID != nil && !slices.Contains(allowed, id) {
			return nil, errValue("encodingOptions: option %d is not one of template %d's (%v)", id, *templateID, allowed)
		}
		if _, ok := s.option(tx, account, id); !ok {
			return nil, errValue("encodingOptions: no encoding option %d", id)
		}
	}
	return slices.Clone(ids), nil
}

func (s *Service) listCategories(c *rest.Call) error {
	no, size, err := page(c)
	if err != nil {
		return err
	}
	var all []wire.Category
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, r := range s.categories.List(tx, c.AccountID) {
			all = append(all, r.wire())
		}
		return nil
	})
	return c.List(rest.Page(all, no, size), len(all))
}

// categoryID parses the path's categoryId; a malformed one is not found.
func categoryID(c *rest.Call) (string, error) {
	id := c.Path("categoryId")
	if n, err := strconv.ParseInt(id, 10, 64); err != nil || n < 1 {
		return "", errNotFound("category %q", id)
	}
	return id, nil
}

func (s *Service) getCategory(c *rest.Call) error {
	id, err := categoryID(c)
	if err != nil {
		return err
	}
	var out *wire.Category
	_ = s.store.View(func(tx *emu.Tx) error {
		if r, ok := s.categories.Get(tx, c.AccountID, id); ok {
			w := r.wire()
			out = &w
		}
		return nil
	})
	if out == nil {
		return errNotFound("category %s", id)
	}
	return c.OK(out)
}

func (s *Service) createCategory(c *rest.Call) error {
	var in wire.CategoryRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Name) == "" {
		return errInput("name is required")
	}
	if strings.ContainsAny(in.Name, "/"+wire.FilePathForbidden) {
		// The name becomes a folder under the output path [?].
		return errValue("name must not contain / or any of %s", wire.FilePathForbidden)
	}
	if err := checkURL("notificationUrl", deref(in.NotificationURL)); err != nil {
		return err
	}
	if err := s.checkOutput(c.AccountID, in.Output, "output"); err != nil {
		return err
	}
	var out wire.Category
	err := s.store.Update(c.Context(), func(tx *emu.Tx) error {
		opts, err := s.resolveOptions(tx, c.AccountID, in.EncodingOptions, in.EncodingOptionTemplateID)
		if err != nil {
			return err
		}
		r := categoryRec{ID: int64(s.categorySeq.Next(tx)), Name: in.Name, EncodingOptions: opts, TemplateID: in.EncodingOptionTemplateID,
			Thumbnail: deref(in.Thumbnail), NotificationURL: deref(in.NotificationURL), Output: *in.Output}
		s.categories.Put(tx, c.AccountID, strconv.FormatInt(r.ID, 10), r)
		out = r.wire()
		return nil
	})
	if err != nil {
		return err
	}
	s.makeFolder(c.AccountID, out.Output, out.Name)
	return c.OK(out)
}

// makeFolder creates the category's folder under its output path. The
// bucket was checked before; a failure here (the bucket deleted meanwhile)
// leaves the category without its folder, as a late deletion would.
func (s *Service) makeFolder(account string, o wire.Output, name string) {
	if s.buckets != nil {
		_ = s.buckets.PutFolder(account, o.BucketName, outputDir(o.FilePath, name, false))
	}
}

func (s *Service) updateCategory(c *rest.Call) error {
	id, err := categoryID(c)
	if err != nil {
		return err
	}
	var in wire.CategoryRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	if err := checkURL("notificationUrl", deref(in.NotificationURL)); err != nil {
		return err
	}
	if err := s.checkOutput(c.AccountID, in.Output, "output"); err != nil {
		return err
	}
	var out wire.Category
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		r, ok := s.categories.Get(tx, c.AccountID, id)
		if !ok {
			return errNotFound("category %s", id)
		}
		if in.Name != "" && in.Name != r.Name {
			return errInput("name cannot be changed (category %s is named %q)", id, r.Name)
		}
		opts, err := s.resolveOptions(tx, c.AccountID, in.EncodingOptions, in.EncodingOptionTemplateID)
		if err != nil {
			return err
		}
		r.EncodingOptions, r.TemplateID = opts, in.EncodingOptionTemplateID
		r.Thumbnail, r.NotificationURL, r.Output = deref(in.Thumbnail), deref(in.NotificationURL), *in.Output
		s.categories.Put(tx, c.AccountID, id, r)
		out = r.wire()
		return nil
	})
	if err != nil {
		return err
	}
	s.makeFolder(c.AccountID, out.Output, out.Name)
	return c.OK(out)
}

func (s *Service) deleteCategory(c *rest.Call) error {
	id, err := categoryID(c)
	if err != nil {
		return err
	}
	var out wire.Category
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		r, ok := s.categories.Get(tx, c.AccountID, id)
		if !ok {
			return errNotFound("category %s", id)
		}
		out = r.wire()
		s.categories.Delete(tx, c.AccountID, id)
		return nil
	})
	if err != nil {
		return err
	}
	// The delete answer's content is [?]; ncplocal answers the category.
	return c.OK(out)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
