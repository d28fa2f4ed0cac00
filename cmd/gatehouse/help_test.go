package main

import (
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// commandPaths is every command path of gatehouse.
var commandPaths = []string{
	"serve", "health",
	"account create", "account list", "account set",
	"root sign-in", "root forgot-password", "root reset-password", "root reset-credentials",
	"root change-password", "root change-email", "root confirm-email",
	"root close-account", "root reopen-account", "root status",
	"billing iam-access", "billing import", "billing migrate-policies",
	"seller register", "seller profile",
	"govcloud sign-up", "govcloud request-root-keys", "govcloud case",
	"support fulfill",
	"outbox list",
	"audit list",
	"policy validate", "policy simulate",
	"env",
	"version",
	"help",
}

var commandGroups = []string{"account", "root", "billing", "seller", "govcloud", "support", "outbox", "audit", "policy"}

// TestHelpCommands: every command's --help (and -h, and gatehouse help
// COMMAND) prints its help to stdout and exits 0; its flags all appear
// in its synopsis, and the top-level help names every command.
func TestHelpCommands(t *testing.T) {
	var listed []string
	for _, c := range commands {
		listed = append(listed, c.path)
	}
	if !slices.Equal(listed, commandPaths) {
		t.Errorf("help.go lists %q,\nthe test %q", listed, commandPaths)
	}
	flagLine := regexp.MustCompile(`(?m)^  -(\S+)`)
	for _, path := range commandPaths {
		t.Run(path, func(t *testing.T) {
			args := strings.Fields(path)
			for _, argv := range [][]string{append(slices.Clone(args), "--help"), append(slices.Clone(args), "-h"), append([]string{"help"}, args...)} {
				code, out, errOut := runCLI(t, "", argv...)
				if code != exitOK || !strings.Contains(out, "usage: gatehouse "+path) || errOut != "" {
					t.Errorf("%q: exit %d, stdout %q, stderr %q", argv, code, out, errOut)
				}
			}
			_, out, _ := runCLI(t, "", append(args, "--help")...)
			entry := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(path) + `( .*)?$`).FindString(usage)
			if entry == "" {
				t.Fatalf("gatehouse --help does not list %q", path)
			}
			if path == "serve" { // its synopsis takes two lines
				entry = usage[strings.Index(usage, "  serve "):strings.Index(usage, "  health")]
			}
			_, flags, _ := strings.Cut(out, "\nflags:\n")
			for _, m := range flagLine.FindAllStringSubmatch(flags, -1) {
				if !strings.Contains(entry, "--"+m[1]) {
					t.Errorf("flag --%s of %s is missing from gatehouse --help: %q", m[1], path, entry)
				}
			}
		})
	}
	for _, argv := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		if code, out, _ := runCLI(t, "", argv...); code != exitOK || out != usage {
			t.Errorf("%q: exit %d, stdout %q", argv, code, out)
		}
	}
}

// TestHelpGroups: gatehouse GROUP --help lists the group's commands and
// exits 0; gatehouse GROUP alone or with an unknown command exits 2.
func TestHelpGroups(t *testing.T) {
	for _, g := range commandGroups {
		t.Run(g, func(t *testing.T) {
			for _, argv := range [][]string{{g, "--help"}, {g, "-h"}, {g, "help"}, {"help", g}} {
				code, out, errOut := runCLI(t, "", argv...)
				if code != exitOK || !strings.Contains(out, "usage: gatehouse "+g) || errOut != "" {
					t.Errorf("%q: exit %d, stdout %q, stderr %q", argv, code, out, errOut)
				}
				for _, p := range commandPaths {
					if strings.HasPrefix(p, g+" ") && !strings.Contains(out, "  "+p) {
						t.Errorf("%q does not list %s", argv, p)
					}
				}
			}
			if code, _, errOut := runCLI(t, "", g); code != exitUsage || !strings.Contains(errOut, "usage: gatehouse "+g) {
				t.Errorf("%s alone: exit %d, stderr %q", g, code, errOut)
			}
			if code, _, errOut := runCLI(t, "", g, "nope"); code != exitUsage || !strings.Contains(errOut, `unknown command "nope"`) {
				t.Errorf("%s nope: exit %d, stderr %q", g, code, errOut)
			}
		})
	}
	if code, _, errOut := runCLI(t, "", "account", "list", "--bogus"); code != exitUsage || !strings.Contains(errOut, "usage: gatehouse account list") {
		t.Errorf("a bad flag: exit %d, stderr %q", code, errOut)
	}
}

func TestVersionString(t *testing.T) {
	info := func(version string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/gatehouse-dev/gatehouse", Version: version}}
		for i := 0; i < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	const rev = "3b620af1c2d4e5f60718293a4b5c6d7e8f901234"
	for _, tc := range []struct {
		name    string
		release string
		info    *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"no build info", "dev", nil, false, "dev"},
		{"devel, no vcs", "dev", info("(devel)"), true, "dev"},
		{"devel with revision", "dev", info("(devel)", "vcs", "git", "vcs.revision", rev, "vcs.modified", "false"), true, "dev (3b620af1c2d4)"},
		{"modified", "dev", info("(devel)", "vcs.revision", rev, "vcs.modified", "true"), true, "dev (3b620af1c2d4, modified)"},
		{"module version", "dev", info("v1.2.3"), true, "v1.2.3"},
		{"module version and revision", "dev", info("v1.2.3", "vcs.revision", rev), true, "v1.2.3 (3b620af1c2d4)"},
		{"release set by -ldflags", "v2.0.0", info("v1.2.3", "vcs.revision", rev), true, "v2.0.0 (3b620af1c2d4)"},
	} {
		if got := versionString(tc.release, tc.info, tc.ok); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if code, out, _ := runCLI(t, "", "version"); code != exitOK || out != "gatehouse "+version()+"\n" {
		t.Errorf("gatehouse version: %d %q", code, out)
	}
}
