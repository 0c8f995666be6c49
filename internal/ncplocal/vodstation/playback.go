package vodstation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// Playback: a READY channel streams the objects of its storage bucket at
// its CDN domain, https://<cdnDomain>/hls/<encryptedBucketName>/<key>/...
// (media.PlayPath). Global Edge serves the domain and hands the /hls/ and
// /dash/ paths to a media.Packager, which finds the channel through
// ResolvePlayback. Videos lists, for the player page, every encoded file
// whose renditions lie in the bucket of a channel with a CDN.

// ObjectReader is the part of Object Storage playback reads renditions
// through (*objectstorage.Service implements it).
type ObjectReader interface {
	ReadObject(accountID, bucketName, key string) (io.ReadCloser, objectstorage.ObjectInfo, error)
}

// WithCdnURL gives Videos the URL a browser fetches a CDN domain's paths
// at (ncplocal serves an edge's domain under its own address); without it
// the player lists no video.
func WithCdnURL(fn func(domain string) string) Option {
	return func(s *Service) { s.cdnURL = fn }
}

// bucketSource is one bucket of an account as a media.Source. Unless
// allowPrivate (the channel's accessPrivateFiles), it serves only objects
// whose ACL lets anyone read them.
type bucketSource struct {
	buckets      Buckets
	account      string
	bucket       string
	allowPrivate bool
}

// streamable reports whether a channel serves an object of its bucket: a
// channel streams public objects, and private ones only with
// accessPrivateFiles (ncp-api.md §2.4).
func streamable(info objectstorage.ObjectInfo, allowPrivate bool) bool {
	return allowPrivate || info.PublicRead()
}

func notFound(err error) error {
	if errors.Is(err, objectstorage.ErrNoSuchKey) || errors.Is(err, objectstorage.ErrNoSuchBucket) {
		return fmt.Errorf("%w: %w", media.ErrNotFound, err)
	}
	return err
}

// errPrivate is the refusal of a private object by a channel without
// accessPrivateFiles. NCP does not document the CDN's answer; ncplocal
// answers 403, as Object Storage answers an anonymous read of a private
// object, which is what the CDN's origin request is [?].
func errPrivate(bucket, key string) error {
	return fmt.Errorf("%w: object %s of bucket %s is private and the channel does not allow private files (accessPrivateFiles is false)",
		media.ErrForbidden, key, bucket)
}

// Stat implements media.Source: the version is the ETag and modification
// time, so a replaced rendition is packaged again. A private object is
// refused (media.ErrForbidden) unless the channel allows private files;
// every playback request stats its objects, so a changed ACL counts at
// once.
func (b bucketSource) Stat(_ context.Context, key string) (media.ObjectInfo, error) {
	info, err := b.buckets.StatObject(b.account, b.bucket, key)
	if err != nil {
		return media.ObjectInfo{}, notFound(err)
	}
	if !streamable(info, b.allowPrivate) {
		return media.ObjectInfo{}, errPrivate(b.bucket, key)
	}
	return media.ObjectInfo{Version: info.ETag + "@" + strconv.FormatInt(info.LastModified.UnixNano(), 10),
		Size: info.Size, ModTime: info.LastModified}, nil
}

// Open implements media.Source.
func (b bucketSource) Open(_ context.Context, key string) (io.ReadCloser, error) {
	r, ok := b.buckets.(ObjectReader)
	if !ok {
		return nil, errors.New("this Object Storage cannot be read in process")
	}
	rc, info, err := r.ReadObject(b.account, b.bucket, key)
	if err != nil {
		return nil, notFound(err)
	}
	if !streamable(info, b.allowPrivate) {
		rc.Close()
		return nil, errPrivate(b.bucket, key)
	}
	return rc, nil
}

// ResolvePlayback is a media.Resolver: the READY channel whose
// encryptedBucketName is enc, with its bucket (private objects only with
// accessPrivateFiles), segment duration and protocols. A channel that is not READY does not stream [?] (NCP does
// not document what a stopped channel's URLs answer).
func (s *Service) ResolvePlayback(ctx context.Context, enc string) (media.Channel, error) {
	var out media.Channel
	found := false
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, acct := range tx.Accounts() {
			for _, c := range s.channels.List(tx, acct) {
				if c.EncryptedBucketName != enc || s.channels.Status(tx, &c) != wire.ChannelReady {
					continue
				}
				found = true
				out = media.Channel{
					Source: bucketSource{buckets: s.buckets, account: acct, bucket: c.StorageBucketName,
						allowPrivate: c.AccessPrivateFiles},
					Options: media.PackageOptions{SegmentDuration: c.SegmentDuration},
				}
				for _, p := range c.ProtocolList {
					out.Protocols = append(out.Protocols, media.Protocol(strings.ToLower(p)))
				}
				return nil
			}
		}
		return nil
	})
	if !found {
		return media.Channel{}, fmt.Errorf("%w: no READY channel streams %q", media.ErrNotFound, enc)
	}
	return out, nil
}

// Videos implements player.Catalog: one video per added file with at
// least one completed rendition stored in the bucket of a READY channel
// that has a CDN domain and streams HLS, played through that CDN (the
// multi-bitrate URL for several renditions). Only renditions the channel
// serves are listed: private ones only when it allows private files.
//
// Several such channels may stream one bucket (say one with
// accessPrivateFiles and one without). A video is then listed once, played
// through the channel that serves the most of its renditions, so that one
// which can serve them all is preferred, and listed with the renditions
// that channel serves. Among channels that serve as many, one without
// accessPrivateFiles is preferred (a video whose renditions are all
// public-read needs no channel that exposes private files), then the first
// in the channel list (by ID).
func (s *Service) Videos(ctx context.Context) ([]player.Video, error) {
	if s.cdnURL == nil {
		return nil, nil
	}
	type candidate struct {
		account string
		file    fileRec
		chs     []streamer
	}
	var todo []candidate
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, acct := range tx.Accounts() {
			byBucket := map[string][]streamer{}
			for _, c := range s.channels.List(tx, acct) {
				if c.Cdn == nil || c.Cdn.Domain == "" || s.channels.Status(tx, &c) != wire.ChannelReady ||
					!slices.Contains(c.ProtocolList, wire.ProtocolHLS) {
					continue
				}
				byBucket[c.StorageBucketName] = append(byBucket[c.StorageBucketName],
					streamer{c.ID, c.Cdn.Domain, c.EncryptedBucketName, c.AccessPrivateFiles})
			}
			for _, f := range s.files.List(tx, acct) {
				if chs := byBucket[f.Output.BucketName]; len(chs) > 0 {
					todo = append(todo, candidate{acct, f, chs})
				}
			}
		}
		return nil
	})
	out := []player.Video{}
	for _, c := range todo {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var stored []storedRendition
		for _, j := range c.file.Jobs {
			key := strings.TrimPrefix(j.FilePath, "/")
			if j.Status != wire.JobComplete || key == "" {
				continue
			}
			// The simulated encoder completes jobs without media: only
			// renditions that exist are offered.
			info, err := s.buckets.StatObject(c.account, c.file.Output.BucketName, key)
			if err != nil {
				continue
			}
			r := storedRendition{key: key, info: info, Rendition: player.Rendition{Name: j.Option.Name}}
			if v := j.Option.Video; v != nil {
				r.Width, r.Height, r.Bitrate = v.Width, v.Height, v.Bitrate
			}
			if j.End != nil {
				r.end = time.UnixMilli(*j.End)
			}
			stored = append(stored, r)
		}
		ch, served := bestStreamer(c.chs, stored)
		if len(served) == 0 {
			continue
		}
		var keys []string
		var rends []player.Rendition
		var created time.Time
		for _, r := range served {
			keys = append(keys, r.key)
			rends = append(rends, r.Rendition)
			if r.end.After(created) {
				created = r.end
			}
		}
		p, err := media.PlayPath(media.HLS, ch.enc, keys...)
		if err != nil {
			continue // keys the multi-bitrate form cannot name together
		}
		title := path.Base("/" + strings.TrimRight(c.file.inputName(), "/"))
		out = append(out, player.Video{
			ID:         fmt.Sprintf("%s-%d", ch.id, c.file.ID),
			Title:      title,
			MasterURL:  s.cdnURL(ch.domain) + p,
			Renditions: rends,
			Created:    created,
		})
	}
	return out, nil
}

// streamer is a READY channel with a CDN domain that streams HLS.
type streamer struct {
	id, domain, enc string
	allowPrivate    bool
}

// storedRendition is a completed rendition that exists in its bucket.
type storedRendition struct {
	player.Rendition
	key  string
	info objectstorage.ObjectInfo
	end  time.Time
}

// bestStreamer picks, of chs (in the channel list's order), the channel
// that serves the most of rends, preferring on a tie one that does not
// allow private files, then the first; it returns the channel and the
// renditions it serves (none when no channel serves any).
func bestStreamer(chs []streamer, rends []storedRendition) (streamer, []storedRendition) {
	var best streamer
	var bestServed []storedRendition
	found := false
	for _, ch := range chs {
		var served []storedRendition
		for _, r := range rends {
			if streamable(r.info, ch.allowPrivate) {
				served = append(served, r)
			}
		}
		more := len(served) > len(bestServed)
		fewerRights := len(served) == len(bestServed) && best.allowPrivate && !ch.allowPrivate
		if !found || more || fewerRights {
			best, bestServed, found = ch, served, true
		}
	}
	return best, bestServed
}
