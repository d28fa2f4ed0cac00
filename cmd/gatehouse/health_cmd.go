package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// health checks a running server: GET /_gatehouse/health on --addr, exit
// status 0 when it answers 200 and 1 otherwise. It is the container
// image's HEALTHCHECK, which has no shell or curl to do it.
func health(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("health", stderr)
	addr := fs.String("addr", defaultAddr, "address of the server (as given to gatehouse serve --addr)")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	url := "http://" + *addr + "/_gatehouse/health"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse health: %v\n", err)
		return exitUsage
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse health: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "gatehouse health: %s: HTTP %d %s\n", url, resp.StatusCode, body)
		return 1
	}
	stdout.Write(body)
	return exitOK
}
