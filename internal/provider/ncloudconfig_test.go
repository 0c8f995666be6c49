package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseINI(t *testing.T) {
	t.Parallel()
	data := "\xef\xbb\xbf# written by ncloud configure\r\n" +
		"[DEFAULT]\r\n" +
		"ncloud_access_key_id = AK1\r\n" +
		"NCLOUD_SECRET_ACCESS_KEY=SK1=with=equals\r\n" +
		"\r\n" +
		"; another profile\n" +
		"[ prod ]\n" +
		"  ncloud_api_url =   https://ncloud.apigw.ntruss.com  \n" +
		"empty =\n" +
		"[DEFAULT]\n" +
		"extra = yes\n"
	f, err := parseINI("configure", []byte(data))
	if err != nil {
		t.Fatalf("parseINI: %v", err)
	}
	want := map[string]map[string]string{
		"DEFAULT": {"ncloud_access_key_id": "AK1", "ncloud_secret_access_key": "SK1=with=equals", "extra": "yes"},
		"prod":    {"ncloud_api_url": "https://ncloud.apigw.ntruss.com", "empty": ""},
	}
	if len(f.sections) != len(want) {
		t.Fatalf("sections = %v, want %v", f.sectionNames(), want)
	}
	for sec, kv := range want {
		got := f.sections[sec]
		if len(got) != len(kv) {
			t.Errorf("[%s] = %v, want %v", sec, got, kv)
		}
		for k, v := range kv {
			if got[k] != v {
				t.Errorf("[%s] %s = %q, want %q", sec, k, got[k], v)
			}
		}
	}
	if names := strings.Join(f.sectionNames(), ","); names != "DEFAULT,prod" {
		t.Errorf("sectionNames = %s", names)
	}
}

func TestParseINIErrors(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-value"
	tests := []struct {
		name, data, want string
	}{
		{"unterminated header", "[DEFAULT\nk = v\n", `configure:1: malformed section header: expected "[name]"`},
		{"empty section name", "# c\n[ ]\n", "configure:2: empty section name"},
		{"key outside section", "ncloud_secret_access_key = " + secret + "\n", `configure:1: key "ncloud_secret_access_key" is outside of any [section]`},
		{"no equals sign", "[DEFAULT]\nk = v\n" + secret + "\n", `configure:3: expected "key = value" or "[section]"`},
		{"empty key", "[DEFAULT]\n = " + secret + "\n", `configure:2: missing key before "="`},
		{"duplicate key", "[DEFAULT]\nncloud_secret_access_key = a\n\nNCLOUD_SECRET_ACCESS_KEY = " + secret + "\n",
			`configure:4: key "ncloud_secret_access_key" is already set in [DEFAULT] on line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseINI("configure", []byte(tt.data))
			if err == nil {
				t.Fatalf("parseINI succeeded, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error quotes a value from the file: %v", err)
			}
		})
	}
}

func TestLoadNcloudProfile(t *testing.T) {
	t.Parallel()
	home := homeWithConfig(t, "[DEFAULT]\nncloud_access_key_id = AK\n[prod]\nncloud_access_key_id = PK\n")
	file := filepath.Join(home, ".ncloud", "configure")

	p, err := loadNcloudProfile(home, "prod", true)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := p.get(iniKeyAccessKey); !ok || v != "PK" || p.path != file {
		t.Errorf("prod profile: %q %v from %s", v, ok, p.path)
	}

	// The default profile may be missing; an explicit one may not.
	onlyProd := homeWithConfig(t, "[prod]\nncloud_access_key_id = PK\n")
	if p, err := loadNcloudProfile(onlyProd, defaultProfile, false); err != nil || p.values != nil {
		t.Errorf("missing default section: %v, %v; want no values and no error", p, err)
	}
	if _, err := loadNcloudProfile(onlyProd, "staging", true); err == nil ||
		!strings.Contains(err.Error(), `no [staging] section (sections: prod)`) {
		t.Errorf("missing explicit section: err = %v", err)
	}

	// No file at all.
	empty := t.TempDir()
	if p, err := loadNcloudProfile(empty, defaultProfile, false); err != nil || p.values != nil {
		t.Errorf("no file: %v, %v; want no values and no error", p, err)
	}
	if _, err := loadNcloudProfile(empty, "prod", true); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("no file, explicit profile: err = %v", err)
	}
	if _, err := loadNcloudProfile("", "prod", true); err == nil || !strings.Contains(err.Error(), "no home directory") {
		t.Errorf("no home, explicit profile: err = %v", err)
	}
	if p, err := loadNcloudProfile("", defaultProfile, false); err != nil || p.values != nil {
		t.Errorf("no home: %v, %v", p, err)
	}

	// A file that cannot be read is an error naming it.
	unreadable := t.TempDir()
	if err := os.MkdirAll(filepath.Join(unreadable, ".ncloud", "configure"), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := loadNcloudProfile(unreadable, defaultProfile, false); err == nil ||
		!strings.Contains(err.Error(), filepath.Join(unreadable, ".ncloud", "configure")) {
		t.Errorf("unreadable file: err = %v", err)
	}
}
