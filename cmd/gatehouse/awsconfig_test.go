package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cleanAWSEnv gives the test an empty home and no AWS_* variables.
func cleanAWSEnv(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	return home
}

// TestClientSettings checks that the client commands read the AWS
// configuration as the aws CLI and SDKs do: profiles of both shared
// files, the environment before them, endpoint_url globally and per
// service, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, and the region.
func TestClientSettings(t *testing.T) {
	const configFile = `[default]
region = eu-west-1
endpoint_url = http://127.0.0.1:4001

[profile ops]
region = eu-central-1
endpoint_url = http://127.0.0.1:4002/
aws_access_key_id = AKIAOPSCONFIG0000001
aws_secret_access_key = opsconfigsecret

[profile svc]
services = gh
endpoint_url = http://127.0.0.1:4003

[services gh]
gatehouse =
  endpoint_url = http://127.0.0.1:4004

[profile chained]
credential_process = HOME/process.sh
`
	const credentialsFile = `[default]
aws_access_key_id = AKIADEFAULT000000001
aws_secret_access_key = defaultsecret

[svc]
aws_access_key_id = AKIASVC0000000000001
aws_secret_access_key = svcsecret
aws_session_token = svctoken
`
	tests := []struct {
		name                  string
		env                   map[string]string
		flag                  string
		endpoint, region, key string
		token                 string
		wantErr               string
	}{
		{name: "default profile", endpoint: "http://127.0.0.1:4001", region: "eu-west-1", key: "AKIADEFAULT000000001"},
		{name: "flag first", flag: "http://10.0.0.1:9/", endpoint: "http://10.0.0.1:9", region: "eu-west-1", key: "AKIADEFAULT000000001"},
		{name: "profile in config file", env: map[string]string{"AWS_PROFILE": "ops"},
			endpoint: "http://127.0.0.1:4002", region: "eu-central-1", key: "AKIAOPSCONFIG0000001"},
		{name: "service section and credentials file", env: map[string]string{"AWS_PROFILE": "svc"},
			endpoint: "http://127.0.0.1:4004", region: defaultRegion, key: "AKIASVC0000000000001", token: "svctoken"},
		{name: "credential_process", env: map[string]string{"AWS_PROFILE": "chained"},
			endpoint: defaultEndpoint, region: defaultRegion, key: "ASIAPROCESS000000001", token: "tok"},
		{name: "environment before profile", env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4010",
			"AWS_REGION": "ap-south-1", "AWS_ACCESS_KEY_ID": "AKIAENV0000000000001", "AWS_SECRET_ACCESS_KEY": "envsecret"},
			endpoint: "http://127.0.0.1:4010", region: "ap-south-1", key: "AKIAENV0000000000001"},
		{name: "service-specific environment", env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4010",
			"AWS_ENDPOINT_URL_GATEHOUSE": "http://127.0.0.1:4011"},
			endpoint: "http://127.0.0.1:4011", region: "eu-west-1", key: "AKIADEFAULT000000001"},
		{name: "configured endpoints ignored", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
			"AWS_ENDPOINT_URL": "http://127.0.0.1:4010"},
			endpoint: defaultEndpoint, region: "eu-west-1", key: "AKIADEFAULT000000001"},
		{name: "missing profile", env: map[string]string{"AWS_PROFILE": "nope"}, wantErr: "nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := cleanAWSEnv(t)
			// The SDK settles the default file names when it starts, from
			// the HOME of the day: name the files.
			os.WriteFile(filepath.Join(home, "config"), []byte(strings.ReplaceAll(configFile, "HOME", home)), 0o600)
			os.WriteFile(filepath.Join(home, "process.sh"), []byte("#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"ASIAPROCESS000000001\",\"SecretAccessKey\":\"processsecret\",\"SessionToken\":\"tok\"}'\n"), 0o700)
			os.WriteFile(filepath.Join(home, "credentials"), []byte(credentialsFile), 0o600)
			t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "credentials"))
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			endpoint, cfg, creds, err := clientSettings(context.Background(), tc.flag, true)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if endpoint != tc.endpoint || cfg.Region != tc.region || creds.AccessKeyID != tc.key || creds.SessionToken != tc.token {
				t.Errorf("got endpoint %q region %q key %q token %q; want %q %q %q %q",
					endpoint, cfg.Region, creds.AccessKeyID, creds.SessionToken, tc.endpoint, tc.region, tc.key, tc.token)
			}
			if got := endpointURL(tc.flag); got != tc.endpoint {
				t.Errorf("endpointURL = %q, want %q", got, tc.endpoint)
			}
		})
	}
}

// TestClientSettingsNoCredentials: with nothing configured a signed
// command says what to set, and an unsigned one still has an endpoint.
func TestClientSettingsNoCredentials(t *testing.T) {
	home := cleanAWSEnv(t)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "none"))
	if _, _, _, err := clientSettings(context.Background(), "", true); err != errNoCredentials {
		t.Errorf("err = %v, want errNoCredentials", err)
	}
	endpoint, cfg, _, err := clientSettings(context.Background(), "", false)
	if err != nil || endpoint != defaultEndpoint || cfg.Region != defaultRegion {
		t.Errorf("unsigned: %q %q %v", endpoint, cfg.Region, err)
	}
}
