package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestProfileCredentials(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	os.WriteFile(path, []byte(`# comment
[default]
aws_access_key_id = AKIADEFAULT000000001
aws_secret_access_key = defaultsecret

[ops]
aws_access_key_id=ASIAOPS0000000000001
aws_secret_access_key=opssecret
aws_session_token = token123
[empty]
`), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", path)
	tests := []struct {
		profile, id, secret, token string
		wantErr                    bool
	}{
		{"", "AKIADEFAULT000000001", "defaultsecret", "", false},
		{"ops", "ASIAOPS0000000000001", "opssecret", "token123", false},
		{"empty", "", "", "", true},
		{"missing", "", "", "", true},
	}
	for _, tc := range tests {
		t.Setenv("AWS_PROFILE", tc.profile)
		id, secret, token, err := profileCredentials()
		if (err != nil) != tc.wantErr || id != tc.id || secret != tc.secret || token != tc.token {
			t.Errorf("profile %q: got %q %q %q %v", tc.profile, id, secret, token, err)
		}
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	if _, _, _, err := profileCredentials(); err != errNoCredentials {
		t.Errorf("missing file: %v", err)
	}
}
