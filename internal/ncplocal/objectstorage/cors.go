package objectstorage

import (
	"net/http"
	"strconv"
	"strings"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// corsMethods are the methods a CORS rule may allow.
var corsMethods = map[string]bool{"GET": true, "PUT": true, "HEAD": true, "POST": true, "DELETE": true}

// validateCORS checks a configuration the way S3 does.
func validateCORS(cfg *wire.CORSConfiguration) error {
	if len(cfg.CORSRules) == 0 {
		return errorf(wire.CodeMalformedXML, "The CORS configuration must contain at least one CORSRule.")
	}
	if len(cfg.CORSRules) > wire.MaxCORSRules {
		return errorf(wire.CodeInvalidRequest, "The CORS configuration may contain at most %d rules.", wire.MaxCORSRules)
	}
	for i, r := range cfg.CORSRules {
		if len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 {
			return errorf(wire.CodeMalformedXML, "CORSRule %d must contain at least one AllowedMethod and one AllowedOrigin.", i+1)
		}
		for _, m := range r.AllowedMethods {
			if !corsMethods[m] {
				return errorf(wire.CodeInvalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return errorf(wire.CodeInvalidRequest, "AllowedOrigin %q can not have more than one wildcard.", o)
			}
		}
		for _, h := range r.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return errorf(wire.CodeInvalidRequest, "AllowedHeader %q can not have more than one wildcard.", h)
			}
		}
		if r.MaxAgeSeconds != nil && *r.MaxAgeSeconds < 0 {
			return errorf(wire.CodeMalformedXML, "MaxAgeSeconds must not be negative.")
		}
		if len(r.ID) > 255 {
			return errorf(wire.CodeInvalidRequest, "The ID of a CORSRule may be at most 255 characters long.")
		}
	}
	return nil
}

// wildcardMatch matches s against a pattern with at most one '*'.
func wildcardMatch(pattern, s string) bool {
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

// matchCORS returns the first rule allowing origin, method and every
// requested header, or nil.
func matchCORS(cfg *wire.CORSConfiguration, origin, method string, headers []string) *wire.CORSRule {
rules:
	for i := range cfg.CORSRules {
		r := &cfg.CORSRules[i]
		if !contains(r.AllowedMethods, method) {
			continue
		}
		originOK := false
		for _, o := range r.AllowedOrigins {
			if wildcardMatch(o, origin) {
				originOK = true
				break
			}
		}
		if !originOK {
			continue
		}
		for _, h := range headers {
			allowed := false
			for _, a := range r.AllowedHeaders {
				if wildcardMatch(strings.ToLower(a), h) {
					allowed = true
					break
				}
			}
			if !allowed {
				continue rules
			}
		}
		return r
	}
	return nil
}

// setCORSHeaders writes the response headers of a rule that matched.
func setCORSHeaders(h http.Header, r *wire.CORSRule, origin string) {
	if contains(r.AllowedOrigins, "*") {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(r.AllowedMethods, ", "))
	if len(r.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(r.ExposeHeaders, ", "))
	}
	if r.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*r.MaxAgeSeconds))
	}
	h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

// bucketCORS returns the bucket's CORS configuration, or nil. Stored
// configurations are replaced, never modified, so the result may be read
// without the lock.
func (s *Service) bucketCORS(name string) *wire.CORSConfiguration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if b := s.buckets[name]; b != nil {
		return b.CORS
	}
	return nil
}

// applyCORS adds the CORS headers to an actual (non-preflight) request from
// a browser, when the bucket has a matching rule.
func (req *request) applyCORS() {
	origin := req.r.Header.Get("Origin")
	if origin == "" || req.bucket == "" || req.r.Method == http.MethodOptions {
		return
	}
	cfg := req.s.bucketCORS(req.bucket)
	if cfg == nil {
		return
	}
	if r := matchCORS(cfg, origin, req.r.Method, nil); r != nil {
		setCORSHeaders(req.w.Header(), r, origin)
	}
}

// preflight answers an unauthenticated CORS preflight (OPTIONS) request from
// the bucket's CORS configuration.
func (req *request) preflight() error {
	origin := req.r.Header.Get("Origin")
	method := req.r.Header.Get("Access-Control-Request-Method")
	if origin == "" {
		return errorf(wire.CodeInvalidRequest, "Insufficient information. Origin request header needed.")
	}
	if method == "" {
		return errorf(wire.CodeInvalidRequest, "Invalid Access-Control-Request-Method: the header is missing.")
	}
	s := req.s
	s.mu.RLock()
	b := s.buckets[req.bucket]
	var cfg *wire.CORSConfiguration
	if b != nil {
		cfg = b.CORS
	}
	s.mu.RUnlock()
	if b == nil {
		return errCode(wire.CodeNoSuchBucket)
	}
	if cfg == nil {
		return errorf(wire.CodeAccessDenied, "CORSResponse: CORS is not enabled for this bucket.")
	}
	var headers []string
	if v := req.r.Header.Get("Access-Control-Request-Headers"); v != "" {
		for _, h := range strings.Split(v, ",") {
			if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
				headers = append(headers, h)
			}
		}
	}
	rule := matchCORS(cfg, origin, method, headers)
	if rule == nil {
		return errorf(wire.CodeAccessDenied, "CORSResponse: This CORS request is not allowed. This is usually because the evaluation of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
	}
	setCORSHeaders(req.w.Header(), rule, origin)
	if len(headers) > 0 {
		req.w.Header().Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
	}
	req.w.WriteHeader(http.StatusOK)
	return nil
}

func (req *request) getBucketCORS() error {
	var cfg *wire.CORSConfiguration
	err := req.readOwnBucket(func(b *bucket) error {
		cfg = b.CORS
		return nil
	})
	if err != nil {
		return err
	}
	if cfg == nil {
		return errCode(wire.CodeNoSuchCORSConfiguration)
	}
	out := *cfg
	out.Xmlns = wire.Namespace
	writeXML(req.w, http.StatusOK, &out)
	return nil
}

func (req *request) putBucketCORS() error {
	if err := req.s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	var cfg wire.CORSConfiguration
	if err := req.decodeCheckedXML(&cfg); err != nil {
		return err
	}
	if err := validateCORS(&cfg); err != nil {
		return err
	}
	cfg.Xmlns = ""
	return req.writeOwnBucket(func(b *bucket) error {
		b.CORS = &cfg
		req.w.WriteHeader(http.StatusOK)
		return nil
	})
}

func (req *request) deleteBucketCORS() error {
	return req.writeOwnBucket(func(b *bucket) error {
		b.CORS = nil
		req.w.WriteHeader(http.StatusNoContent)
		return nil
	})
}
