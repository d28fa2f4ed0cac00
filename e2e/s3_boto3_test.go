package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestS3Boto3 runs testdata/s3_boto3.py with each python3 that has boto3:
// the one on PATH (current boto3, which adds CRC32 checksums by default)
// and Debian's /usr/bin/python3 (boto3 1.26, which does not).
func TestS3Boto3(t *testing.T) {
	t.Parallel()
	pythons := findBoto3Pythons(t)
	srv := startServer(t, serverOptions{Ephemeral: true})
	script, err := filepath.Abs(filepath.Join("testdata", "s3_boto3.py"))
	if err != nil {
		t.Fatal(err)
	}
	for _, py := range pythons {
		t.Run(py.name, func(t *testing.T) {
			t.Parallel()
			for _, phase := range []string{"transfer", "keepalive"} {
				t.Run(phase, func(t *testing.T) {
					bucket := "boto3-" + phase + "-" + py.name
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					cmd := exec.CommandContext(ctx, py.path, script, phase)
					missing := filepath.Join(t.TempDir(), "absent")
					cmd.Env = append(clientEnviron(),
						"AWS_ENDPOINT_URL="+srv.URL,
						"AWS_ACCESS_KEY_ID="+rootKeyID,
						"AWS_SECRET_ACCESS_KEY="+rootSecret,
						"AWS_DEFAULT_REGION="+s3Region,
						"AWS_CONFIG_FILE="+missing,
						"AWS_SHARED_CREDENTIALS_FILE="+missing,
						"AWS_EC2_METADATA_DISABLED=true",
						"S3_BUCKET="+bucket,
						"WORK_DIR="+t.TempDir(),
					)
					var stdout, stderr strings.Builder
					cmd.Stdout, cmd.Stderr = &stdout, &stderr
					start := time.Now()
					err := cmd.Run()
					t.Logf("%s %s: %s", py.name, phase, time.Since(start).Round(time.Millisecond))
					if err != nil || !strings.HasSuffix(stdout.String(), "S3 OK\n") {
						t.Errorf("s3_boto3.py %s: %v\nstdout:\n%s\nstderr (tail):\n%s", phase, err, stdout.String(), tail(stderr.String(), 600))
					}
				})
			}
		})
	}
}

// boto3Python is a python3 that can import boto3.
type boto3Python struct{ name, path string }

// findBoto3Pythons returns python3 on PATH (without its pyenv shim) and
// /usr/bin/python3 when that is another interpreter; both need boto3.
func findBoto3Pythons(t *testing.T) []boto3Python {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is not on PATH (%v): %s", err, installHint)
	}
	out := []boto3Python{{"path", unshim("python3", py)}}
	const debian = "/usr/bin/python3"
	if !sameFile(out[0].path, debian) {
		out = append(out, boto3Python{"debian", debian})
	}
	for _, p := range out {
		v, err := exec.Command(p.path, "-c", "import boto3, botocore; print(boto3.__version__, botocore.__version__)").CombinedOutput()
		if err != nil {
			t.Fatalf("%s cannot import boto3 (%v: %s): %s", p.path, err, v, installHint)
		}
		t.Logf("%s: boto3 and botocore %s", p.path, strings.TrimSpace(string(v)))
	}
	return out
}
