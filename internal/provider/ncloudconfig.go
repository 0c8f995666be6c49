package provider

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The ncloud CLI configuration file, ~/.ncloud/configure, is an INI file:
//
//	[DEFAULT]
//	ncloud_access_key_id = ...
//	ncloud_secret_access_key = ...
//	ncloud_api_url = https://ncloud.apigw.ntruss.com
//
// Other sections are further profiles, chosen with the profile argument or
// NCLOUD_PROFILE.
const (
	ncloudConfigDir  = ".ncloud"
	ncloudConfigFile = "configure"

	defaultProfile = "DEFAULT"

	iniKeyAccessKey = "ncloud_access_key_id"
	iniKeySecretKey = "ncloud_secret_access_key"
	iniKeyAPIURL    = "ncloud_api_url"
)

// iniFile is a parsed INI document.
type iniFile struct {
	sections map[string]map[string]string // section -> key (lower case) -> value
}

// iniError is a syntax error in an INI file. It never quotes the offending
// line, which may hold a secret key.
type iniError struct {
	file string
	line int
	msg  string
}

func (e *iniError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg) }

// parseINI reads the small INI dialect the ncloud CLI writes: "[section]"
// headers, "key = value" lines, blank lines and full-line comments starting
// with '#' or ';'. Keys are case-insensitive; values are trimmed and kept
// verbatim otherwise (no inline comments, no quoting). A key outside any
// section, a key given twice in one section, an empty key or section name,
// and any other line are errors naming the file (name) and the line.
func parseINI(name string, data []byte) (*iniFile, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	f := &iniFile{sections: map[string]map[string]string{}}
	keyLines := map[string]int{} // "section\x00key" -> line of first definition
	var section string
	var inSection bool
	for i, raw := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") {
				return nil, &iniError{name, lineNo, `malformed section header: expected "[name]"`}
			}
			section = strings.TrimSpace(line[1 : len(line)-1])
			if section == "" {
				return nil, &iniError{name, lineNo, "empty section name"}
			}
			inSection = true
			if f.sections[section] == nil {
				f.sections[section] = map[string]string{}
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return nil, &iniError{name, lineNo, `expected "key = value" or "[section]"`}
			}
			key := strings.ToLower(strings.TrimSpace(k))
			if key == "" {
				return nil, &iniError{name, lineNo, `missing key before "="`}
			}
			if !inSection {
				return nil, &iniError{name, lineNo, fmt.Sprintf("key %q is outside of any [section]", key)}
			}
			id := section + "\x00" + key
			if first, dup := keyLines[id]; dup {
				return nil, &iniError{name, lineNo, fmt.Sprintf("key %q is already set in [%s] on line %d", key, section, first)}
			}
			keyLines[id] = lineNo
			f.sections[section][key] = strings.TrimSpace(v)
		}
	}
	return f, nil
}

// sectionNames returns the section names, sorted.
func (f *iniFile) sectionNames() []string {
	names := make([]string, 0, len(f.sections))
	for n := range f.sections {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ncloudProfile is one profile of the ncloud CLI configuration file.
type ncloudProfile struct {
	path   string            // file the profile was read from
	name   string            // section name
	values map[string]string // nil when the file or the section is absent
}

// get returns the non-empty value of key in the profile.
func (p *ncloudProfile) get(key string) (string, bool) {
	v, ok := p.values[key]
	return v, ok && v != ""
}

// loadNcloudProfile reads profile from <home>/.ncloud/configure.
//
// A missing home directory or file gives an empty profile, unless the profile
// was chosen explicitly (explicit), in which case that is an error, as is a
// missing section: a user who names a profile expects it to be used. A file
// that cannot be read or parsed is always an error.
func loadNcloudProfile(home, profile string, explicit bool) (*ncloudProfile, error) {
	p := &ncloudProfile{name: profile}
	if home == "" {
		if explicit {
			return nil, fmt.Errorf("profile %q was requested, but there is no home directory to read %s from",
				profile, filepath.Join("~", ncloudConfigDir, ncloudConfigFile))
		}
		return p, nil
	}
	p.path = filepath.Join(home, ncloudConfigDir, ncloudConfigFile)
	data, err := os.ReadFile(p.path)
	if errors.Is(err, fs.ErrNotExist) {
		if explicit {
			return nil, fmt.Errorf("profile %q was requested, but %s does not exist", profile, p.path)
		}
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p.path, err)
	}
	f, err := parseINI(p.path, data)
	if err != nil {
		return nil, err
	}
	values, ok := f.sections[profile]
	if !ok && explicit {
		have := "it has no sections"
		if names := f.sectionNames(); len(names) > 0 {
			have = "sections: " + strings.Join(names, ", ")
		}
		return nil, fmt.Errorf("profile %q was requested, but %s has no [%s] section (%s)", profile, p.path, profile, have)
	}
	p.values = values
	return p, nil
}
