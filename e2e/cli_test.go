package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// installHint is what to do when the CLI clients are missing: they are
// part of the test environment, so their absence fails the test.
const installHint = "install them with `apt-get install awscli python3-boto3`"

// aws CLI v2's usual place when installed from AWS's bundle.
const awsV2Path = "/usr/bin/aws"

// scenario is one client running testdata/scenario.{sh,py}.
type scenario struct {
	name   string   // subtest name
	prefix string   // SCENARIO_PREFIX: names it creates start with it
	argv   []string // the script, to which the phase is appended
	awsCLI string   // AWS_CLI for the shell script
	state  string   // SCENARIO_STATE
}

// TestCLIAndBoto3 plays the whole story (administrator, denial, key
// rotation, lock-out and root's rescue, restart) with the aws CLI and with
// boto3, then checks that no secret they used reached the logs or the
// data files.
func TestCLIAndBoto3(t *testing.T) {
	t.Parallel()
	scenarios := findScenarioClients(t)
	srv := startServer(t, serverOptions{LogLevel: "debug"})
	first := srv

	t.Run("Setup", func(t *testing.T) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				out := runScenario(t, srv, sc, "setup")
				for _, want := range []string{
					"caller: " + userARN(sc.prefix+"-admin"),
					"denied: AccessDenied CreateUser",
					"denied: InvalidClientTokenId GetCallerIdentity",
					"denied: AccessDenied GetUser",
					"ok: administrator restored",
					"SETUP OK",
				} {
					if !strings.Contains(out, want+"\n") {
						t.Errorf("setup output lacks %q", want)
					}
				}
			})
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	if err := srv.stop(t); err != nil {
		t.Fatalf("gatehouse after SIGTERM: %v", err)
	}
	srv = startServer(t, serverOptions{DataDir: first.DataDir, LogLevel: "debug"})

	t.Run("VerifyAfterRestart", func(t *testing.T) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				if out := runScenario(t, srv, sc, "verify"); !strings.Contains(out, "VERIFY OK\n") {
					t.Errorf("verify output lacks VERIFY OK")
				}
			})
		}
	})
	if err := srv.stop(t); err != nil {
		t.Errorf("gatehouse after SIGTERM: %v", err)
	}

	t.Run("NoSecretsInLogsOrData", func(t *testing.T) {
		secrets := map[string]string{"root secret access key": rootSecret, "root password": rootPassword}
		for _, sc := range scenarios {
			for k, v := range scenarioSecrets(t, sc.state) {
				secrets[sc.name+" "+k] = v
			}
		}
		if len(secrets) < 2+3*len(scenarios) {
			t.Fatalf("found %d secrets in the scenario state files; want at least %d", len(secrets), 2+3*len(scenarios))
		}
		assertNoSecrets(t, secrets, map[string]string{
			"first run's stdout": first.stdout.String(), "first run's stderr": first.stderr.String(),
			"second run's stdout": srv.stdout.String(), "second run's stderr": srv.stderr.String(),
		}, srv.DataDir)
	})
}

// findScenarioClients finds the aws CLI (whatever version is on PATH, plus
// v2 at /usr/bin/aws when that is another file) and python3 with boto3,
// failing the test when one is missing.
func findScenarioClients(t *testing.T) []scenario {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash not found: %v", err)
	}
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		t.Fatalf("the aws CLI is not on PATH (%v): %s", err, installHint)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is not on PATH (%v): %s", err, installHint)
	}
	if out, err := exec.Command(python, "-c", "import boto3").CombinedOutput(); err != nil {
		t.Fatalf("python3 cannot import boto3 (%v: %s): %s", err, out, installHint)
	}
	stateDir := t.TempDir()
	script := func(name string) string {
		p, err := filepath.Abs(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	clis := []string{awsCLI}
	if fi, err := os.Stat(awsV2Path); err == nil && !fi.IsDir() && !sameFile(awsCLI, awsV2Path) {
		clis = append(clis, awsV2Path)
	}
	var out []scenario
	for i, cli := range clis {
		major := awsCLIMajor(t, cli)
		prefix := fmt.Sprintf("cli%d-v%s", i+1, major)
		name := "aws-cli-v" + major
		if cli == awsV2Path {
			name += "-usr-bin"
		}
		out = append(out, scenario{name: name, prefix: prefix, argv: []string{bash, script("scenario.sh")},
			awsCLI: cli, state: filepath.Join(stateDir, prefix+".env")})
	}
	return append(out, scenario{name: "boto3", prefix: "py", argv: []string{python, script("scenario.py")},
		state: filepath.Join(stateDir, "py.json")})
}

// awsCLIMajor returns the major version of an aws CLI ("1" or "2").
func awsCLIMajor(t *testing.T, cli string) string {
	t.Helper()
	out, err := exec.Command(cli, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s --version: %v\n%s: %s", cli, err, out, installHint)
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "aws-cli/")
	if !ok || v == "" {
		t.Fatalf("%s --version printed %q, not aws-cli/N...", cli, out)
	}
	return v[:1]
}

func sameFile(a, b string) bool {
	ra, errA := filepath.EvalSymlinks(a)
	rb, errB := filepath.EvalSymlinks(b)
	return errA == nil && errB == nil && ra == rb
}

// runScenario runs one phase of a scenario against srv and returns its
// stdout; a non-zero exit fails the test with both outputs.
func runScenario(t *testing.T, srv *server, sc scenario, phase string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, sc.argv[0], append(sc.argv[1:], phase)...)
	missing := filepath.Join(t.TempDir(), "absent")
	cmd.Env = append(clientEnviron(),
		"AWS_ENDPOINT_URL="+srv.URL,
		"AWS_ACCESS_KEY_ID="+rootKeyID,
		"AWS_SECRET_ACCESS_KEY="+rootSecret,
		"AWS_DEFAULT_REGION="+region,
		"AWS_CONFIG_FILE="+missing,
		"AWS_SHARED_CREDENTIALS_FILE="+missing,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"AWS_CLI="+sc.awsCLI,
		"ACCOUNT_ID="+accountID,
		"SCENARIO_PREFIX="+sc.prefix,
		"SCENARIO_STATE="+sc.state,
	)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s %s: %s", sc.name, phase, time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", sc.name, phase, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// clientEnviron is the test's environment without AWS_* and GATEHOUSE_*
// variables, so that nothing on the machine changes what the clients do.
func clientEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "GATEHOUSE_") {
			env = append(env, kv)
		}
	}
	return env
}

// scenarioSecrets returns the secret access keys a scenario recorded in
// its state file (KEY=VALUE lines, or a JSON object).
func scenarioSecrets(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("scenario state: %v", err)
	}
	vars := map[string]string{}
	if strings.HasSuffix(path, ".json") {
		if err := json.Unmarshal(b, &vars); err != nil {
			t.Fatalf("scenario state %s: %v", path, err)
		}
	} else {
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				vars[k] = v
			}
		}
	}
	out := map[string]string{}
	for k, v := range vars {
		if strings.Contains(k, "SECRET") && v != "" {
			out[k] = v
		}
	}
	return out
}
