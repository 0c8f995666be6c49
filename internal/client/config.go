// Package client is the provider's signed NCP client core: configuration,
// the API Gateway signer, one retrying and logging HTTP transport shared by
// every service (Object Storage's S3 client included), typed errors and the
// waiter. Each NCP service has its own sub-package (client/vpc,
// client/objectstorage, ...) built on this core.
package client

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

// Endpoints holds one base URL per NCP service family (scheme://host[:port],
// no trailing slash, no path).
type Endpoints struct {
	Ncloud         string // VPC and VServer APIs (/vpc/v2, /vserver/v2)
	VODStation     string
	GlobalEdge     string
	CloudFunctions string
	ObjectStorage  string
}

// Config is everything a Client needs. It is a plain value: two provider
// blocks with different Configs never share state.
type Config struct {
	AccessKey string
	SecretKey string
	Region    string // NCP region code, e.g. "KR"
	Site      string // public | gov | fin
	Endpoints Endpoints

	// ObjectStoragePathStyle selects path-style S3 addressing (bucket in the path).
	ObjectStoragePathStyle bool
	// ObjectStorageRegion is the SigV4 signing region, e.g. "kr-standard".
	ObjectStorageRegion string

	// MaxRetries bounds the retries of one request (attempts = MaxRetries+1).
	MaxRetries int
	// RetryMinDelay and RetryMaxDelay bound the exponential backoff.
	RetryMinDelay time.Duration
	RetryMaxDelay time.Duration
	// AttemptTimeout bounds one attempt: from sending the request until the
	// response headers arrive and, for Do, until the whole body is read.
	// An attempt that runs out of time is a connection failure (retried when
	// the request is idempotent or nothing was sent yet, KindAmbiguous
	// otherwise). Zero means DefaultAttemptTimeout; a negative value means no
	// limit (only the caller's context bounds the request).
	AttemptTimeout time.Duration

	// HTTPTransport is the base round tripper below the retry, signing and
	// logging layers; nil means a fresh http.Transport clone.
	HTTPTransport http.RoundTripper

	UserAgent string

	// CreateJournal is the provider block's create journal
	// (internal/framework/journal), which the client only carries to the
	// resources' creates; nil disables it.
	CreateJournal *journal.Journal
}

// Site names.
const (
	SitePublic = "public"
	SiteGov    = "gov"
	SiteFin    = "fin"
)

// Default retry settings.
const (
	DefaultMaxRetries    = 8
	DefaultRetryMinDelay = 250 * time.Millisecond
	DefaultRetryMaxDelay = 8 * time.Second
	// DefaultAttemptTimeout is the AttemptTimeout used when it is zero.
	DefaultAttemptTimeout = 60 * time.Second
)

// SiteRegions lists the regions each site serves (the catalog of package
// wire/vserver).
var SiteRegions = vserver.RegionCodesBySite()

// objectStorageHosts maps a site and region to the documented Object Storage
// endpoint and its SigV4 region name (ncp-api.md §0.1).
var objectStorageHosts = map[string]map[string][2]string{
	SitePublic: {
		"KR":   {"https://kr.object.ncloudstorage.com", "kr-standard"},
		"SGN":  {"https://sg.object.ncloudstorage.com", "sg-standard"},
		"JPN":  {"https://jp.object.ncpstorage.com", "jp-standard"},
		"USWN": {"https://us.object.ncloudstorage.com", "us-standard"},
		"DEN":  {"https://de.object.ncloudstorage.com", "de-standard"},
	},
	SiteGov: {
		"KR": {"https://kr.object.gov-ncloudstorage.com", "gov-standard"},
	},
	SiteFin: {
		"FKR": {"https://kr.object.fin-ncloudstorage.com", "fin-standard"},
	},
}

// DefaultEndpoints returns the documented hosts of every service for a site
// and region (ncp-api.md §0.1). Hosts that NCP does not document for a site
// fall back to the public host of the same service.
func DefaultEndpoints(site, region string) (Endpoints, string, error) {
	if site == "" {
		site = SitePublic
	}
	regions, ok := SiteRegions[site]
	if !ok {
		return Endpoints{}, "", fmt.Errorf("unknown site %q: must be one of public, gov, fin", site)
	}
	if !contains(regions, region) {
		return Endpoints{}, "", fmt.Errorf("region %q is not served by site %q: must be one of %v", region, site, regions)
	}
	e := Endpoints{
		Ncloud:         "https://ncloud.apigw.ntruss.com",
		VODStation:     "https://vodstation.apigw.ntruss.com",
		GlobalEdge:     "https://edge.apigw.ntruss.com",
		CloudFunctions: "https://cloudfunctions.apigw.ntruss.com",
	}
	switch site {
	case SiteGov:
		e.Ncloud = "https://ncloud.apigw.gov-ntruss.com"
		e.VODStation = "https://vod-station.apigw.gov-ntruss.com"
	case SiteFin:
		e.Ncloud = "https://fin-ncloud.apigw.fin-ntruss.com"
	case SitePublic:
		switch region {
		case "SGN":
			e.CloudFunctions = "https://sg-cloudfunctions.apigw.ntruss.com"
		case "JPN":
			e.CloudFunctions = "https://jp-cloudfunctions.apigw.ntruss.com"
		}
	}
	os := objectStorageHosts[site][region]
	e.ObjectStorage = os[0]
	return e, os[1], nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
