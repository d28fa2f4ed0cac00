package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// profileCredentials reads the keys of the profile named by AWS_PROFILE
// ("default" when unset) from the shared credentials file, as the aws
// CLI does: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials.
func profileCredentials() (id, secret, token string, err error) {
	profile := os.Getenv("AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	path := os.Getenv("AWS_SHARED_CREDENTIALS_FILE")
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", "", "", errNoCredentials
		}
		path = filepath.Join(home, ".aws", "credentials")
	}
	f, err := os.Open(path)
	if err != nil {
		return "", "", "", errNoCredentials
	}
	defer f.Close()
	values, err := iniSection(f, profile)
	if err != nil {
		return "", "", "", fmt.Errorf("read %s: %w", path, err)
	}
	id, secret = values["aws_access_key_id"], values["aws_secret_access_key"]
	if id == "" || secret == "" {
		return "", "", "", fmt.Errorf("profile %q in %s has no aws_access_key_id and aws_secret_access_key", profile, path)
	}
	return id, secret, values["aws_session_token"], nil
}

var errNoCredentials = errors.New("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE with a shared credentials file")

// iniSection returns the key = value pairs of one [section] of an INI file.
func iniSection(f *os.File, section string) (map[string]string, error) {
	values := map[string]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			in = strings.TrimSpace(line[1:len(line)-1]) == section
		case in:
			if k, v, ok := strings.Cut(line, "="); ok {
				values[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
	}
	return values, sc.Err()
}
