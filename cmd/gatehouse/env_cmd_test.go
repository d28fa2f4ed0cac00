package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnvCommand(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		want     []string // lines stdout must hold
		stderrIn string
	}{
		{args: nil, want: []string{"export AWS_ENDPOINT_URL='http://127.0.0.1:4590'", "export AWS_REGION=us-east-1", "export AWS_DEFAULT_REGION=us-east-1"}},
		{args: []string{"--endpoint-url", "https://gh.example:8443/", "--region", "us-gov-west-1"},
			want: []string{"export AWS_ENDPOINT_URL='https://gh.example:8443'", "export AWS_REGION=us-gov-west-1"}},
		{args: []string{"--format", "profile"}, want: []string{"[profile gatehouse]", "region = us-east-1", "endpoint_url = http://127.0.0.1:4590"}},
		{args: []string{"--format", "profile", "--profile", "default"}, want: []string{"[default]"}},
		{args: []string{"--endpoint-url", "127.0.0.1:4590"}, code: exitUsage, stderrIn: "http:// or https://"},
		{args: []string{"--endpoint-url", "http://h/?x=$(rm -rf /)"}, code: exitUsage, stderrIn: "http:// or https://"},
		{args: []string{"--region", "us-east-1;id"}, code: exitUsage, stderrIn: "not a region code"},
		{args: []string{"--format", "profile", "--profile", "a]b"}, code: exitUsage, stderrIn: "letters, digits"},
		{args: []string{"--format", "xml"}, code: exitUsage, stderrIn: "sh or profile"},
		{args: []string{"extra"}, code: exitUsage, stderrIn: "unexpected argument"},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"env"}, tc.args...), strings.NewReader(""), &out, &errb)
		if code != tc.code {
			t.Errorf("env %q: exit %d, want %d (stderr %q)", tc.args, code, tc.code, errb.String())
			continue
		}
		lines := strings.Split(out.String(), "\n")
		for _, w := range tc.want {
			if !contains(lines, w) {
				t.Errorf("env %q: no line %q in\n%s", tc.args, w, out.String())
			}
		}
		if !strings.Contains(errb.String(), tc.stderrIn) {
			t.Errorf("env %q: stderr %q lacks %q", tc.args, errb.String(), tc.stderrIn)
		}
	}
}

// TestEnvProfileLoads: the profile gatehouse env prints is one the SDK
// configuration reads, endpoint and region included.
func TestEnvProfileLoads(t *testing.T) {
	home := cleanAWSEnv(t)
	var out bytes.Buffer
	if code := run(context.Background(), []string{"env", "--format", "profile", "--profile", "lab", "--endpoint-url", "http://127.0.0.1:4999", "--region", "eu-west-3"},
		strings.NewReader(""), &out, &out); code != exitOK {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	cfgPath := filepath.Join(home, "config")
	os.WriteFile(cfgPath, out.Bytes(), 0o600)
	t.Setenv("AWS_CONFIG_FILE", cfgPath)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "none"))
	t.Setenv("AWS_PROFILE", "lab")
	endpoint, cfg, _, err := clientSettings(context.Background(), "", false)
	if err != nil || endpoint != "http://127.0.0.1:4999" || cfg.Region != "eu-west-3" {
		t.Errorf("loaded %q %q %v", endpoint, cfg.Region, err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
