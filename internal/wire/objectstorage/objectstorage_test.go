package objectstorage

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestValidateBucketName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"abc", "api", "vpc", "my-bucket.logs", "1bucket", "bucket1", strings.Repeat("a", 63), "a.b.c.d", "192.168.5.4a", "1.2.3"} {
		if err := ValidateBucketName(name); err != nil {
			t.Errorf("%q rejected: %v", name, err)
		}
	}
	for _, tc := range []struct{ name, rule string }{
		{"", "between 3 and 63"},
		{"ab", "between 3 and 63"},
		{strings.Repeat("a", 64), "between 3 and 63"},
		{"Bucket", "lowercase letters"},
		{"my_bucket", "lowercase letters"},
		{"my bucket", "lowercase letters"},
		{"버킷버킷", "lowercase letters"},
		{".bucket", "start with"},
		{"-bucket", "start with"},
		{"bucket.", "end with"},
		{"bucket-", "end with"},
		{"my..bucket", "two adjacent periods"},
		{"my.-bucket", "period next to a hyphen"},
		{"my-.bucket", "period next to a hyphen"},
		{"192.168.5.4", "IP address"},
		{"1.2.3.4", "IP address"},
	} {
		err := ValidateBucketName(tc.name)
		var bne *BucketNameError
		if !errors.As(err, &bne) || !strings.Contains(err.Error(), tc.rule) || bne.Name != tc.name {
			t.Errorf("%q: got %v, want a rule mentioning %q", tc.name, err, tc.rule)
		}
	}
}

// TestBucketNameCharacters: lengths and positions in the messages count
// characters, not bytes, and show the character itself (issue 10 item 9).
func TestBucketNameCharacters(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"버킷-abc":                `"버" at position 1 is not allowed`,
		"ab가cd":                 `"가" at position 3 is not allowed`,
		"가나":                    "(it has 2)",
		strings.Repeat("가", 64): "(it has 64)",
		"abc\xff":               "\"\ufffd\" at position 4",
	} {
		if err := ValidateBucketName(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want it to say %s", name, err, want)
		}
	}
}

func TestXMLDocuments(t *testing.T) {
	t.Parallel()
	created := time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.FixedZone("KST", 9*3600))
	b, err := xml.Marshal(&ListAllMyBucketsResult{
		Owner:   Owner{ID: "acct", DisplayName: "acct"},
		Buckets: []Bucket{{Name: "b1", CreationDate: FormatTime(created)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>acct</ID><DisplayName>acct</DisplayName></Owner>` +
		`<Buckets><Bucket><Name>b1</Name><CreationDate>2024-03-04T22:08:09.123Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>`
	if string(b) != want {
		t.Errorf("ListAllMyBucketsResult:\n got %s\nwant %s", b, want)
	}
	if tt, err := ParseTime("2024-03-04T22:08:09.123Z"); err != nil || !tt.Equal(created.Truncate(time.Millisecond)) {
		t.Errorf("ParseTime = %v, %v", tt, err)
	}

	b, err = xml.Marshal(&Error{Code: CodeNoSuchKey, Message: "The specified key does not exist.", Resource: "/b/k", RequestID: "RID"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Resource>/b/k</Resource><RequestId>RID</RequestId></Error>`; string(b) != want {
		t.Errorf("Error:\n got %s\nwant %s", b, want)
	}

	// Request documents are matched with or without the namespace.
	for _, doc := range []string{
		`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet><Object><Key>a b</Key></Object><Object><Key>c</Key><VersionId>null</VersionId></Object></Delete>`,
		`<Delete><Quiet>true</Quiet><Object><Key>a b</Key></Object><Object><Key>c</Key><VersionId>null</VersionId></Object></Delete>`,
	} {
		var d Delete
		if err := xml.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatal(err)
		}
		if !d.Quiet || len(d.Objects) != 2 || d.Objects[0].Key != "a b" || d.Objects[1].VersionID != "null" {
			t.Errorf("Delete = %+v", d)
		}
	}
	var c CompleteMultipartUpload
	if err := xml.Unmarshal([]byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></CompleteMultipartUpload>`), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Parts) != 1 || c.Parts[0].PartNumber != 1 || c.Parts[0].ETag != `"x"` || c.Parts[0].ChecksumCRC32 != "AAAAAA==" {
		t.Errorf("CompleteMultipartUpload = %+v", c)
	}
	if err := xml.Unmarshal([]byte(`<Other/>`), &c); err == nil {
		t.Error("a document with the wrong root element was accepted")
	}

	b, err = xml.Marshal(&LocationConstraint{Region: DefaultRegion})
	if err != nil || string(b) != `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">kr-standard</LocationConstraint>` {
		t.Errorf("LocationConstraint = %s %v", b, err)
	}
}

func TestAccessControlPolicy(t *testing.T) {
	t.Parallel()
	owner := Owner{ID: "acct", DisplayName: "acct"}
	pol := AccessControlPolicy{Xmlns: Namespace, Owner: owner, Grants: CannedGrants(ACLPublicRead, owner)}
	b, err := xml.Marshal(&pol)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>acct</ID>`,
		`<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("policy lacks %s:\n%s", want, s)
		}
	}
	var back AccessControlPolicy
	if err := xml.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Grants[1].Grantee.Type != GranteeGroup || back.Grants[0].Grantee.Type != GranteeCanonicalUser {
		t.Errorf("round trip lost grantee types: %+v", back.Grants)
	}
	for _, acl := range []string{ACLPrivate, ACLPublicRead, ACLPublicReadWrite, ACLAuthenticatedRead} {
		if got := CannedACLOf(CannedGrants(acl, owner), owner); got != acl {
			t.Errorf("CannedACLOf(CannedGrants(%s)) = %q", acl, got)
		}
		if !ValidCannedACL(acl) {
			t.Errorf("%s not valid", acl)
		}
	}
	if ValidCannedACL("bucket-owner-full-control") {
		t.Error("an ACL NCP does not list was accepted")
	}
	// Grantees without a type, and in another order, still match.
	untyped := []Grant{
		{Grantee: Grantee{URI: GroupAuthenticatedUsers}, Permission: PermissionRead},
		{Grantee: Grantee{ID: "acct"}, Permission: PermissionFullControl},
	}
	if got := CannedACLOf(untyped, owner); got != ACLAuthenticatedRead {
		t.Errorf("untyped grants = %q", got)
	}
	if got := CannedACLOf([]Grant{{Grantee: Grantee{ID: "other"}, Permission: PermissionRead}}, owner); got != "" {
		t.Errorf("custom grants matched %q", got)
	}
}

func TestHTTPStatus(t *testing.T) {
	t.Parallel()
	for code, status := range map[string]int{
		CodeNoSuchBucket:              http.StatusNotFound,
		CodeBucketAlreadyExists:       http.StatusConflict,
		CodeSignatureDoesNotMatch:     http.StatusForbidden,
		CodeInvalidRange:              http.StatusRequestedRangeNotSatisfiable,
		CodePreconditionFailed:        http.StatusPreconditionFailed,
		CodeNotImplemented:            http.StatusNotImplemented,
		CodeMissingContentLength:      http.StatusLengthRequired,
		"SomethingNobodyHeardOf":      http.StatusInternalServerError,
		CodeXAmzContentSHA256Mismatch: http.StatusBadRequest,
	} {
		if got := HTTPStatus(code); got != status {
			t.Errorf("HTTPStatus(%s) = %d, want %d", code, got, status)
		}
	}
}
