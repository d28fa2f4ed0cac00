package main

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
)

// endpointClients says which clients read the endpoint from the
// environment or a profile, and what the others need.
const endpointClients = `AWS_ENDPOINT_URL and a profile's endpoint_url are read by aws CLI v1 >= 1.29,
aws CLI v2 >= 2.13, boto3 >= 1.28 (botocore >= 1.31), the other current AWS
SDKs and the gatehouse client commands. Older clients ignore both and send
to AWS itself: Debian 12's aws CLI 2.9 and boto3 1.26 need --endpoint-url
(aws --endpoint-url URL ..., boto3.client(..., endpoint_url=URL)).`

// profileName is what an AWS profile name may be here: what the config
// file's section header can hold without quoting.
var profileName = regexp.MustCompile(`^[A-Za-z0-9_.+@-]{1,64}$`)

// regionName is an AWS region code.
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)

// runEnv is "gatehouse env": the shell lines, or the profile, that point
// AWS clients at a Gatehouse server.
func runEnv(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("env", stderr)
	endpoint := fs.String("endpoint-url", defaultEndpoint, "the server's URL")
	region := fs.String("region", defaultRegion, "the region clients sign for (us-gov-west-1 for a GovCloud account)")
	format := fs.String("format", "sh", "sh for export lines, profile for a section of ~/.aws/config")
	profile := fs.String("profile", "gatehouse", "the profile's name, with --format profile")
	if code, ok := parseFlags(fs, args, stdout); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gatehouse env: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	u, err := url.Parse(*endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		fmt.Fprintf(stderr, "gatehouse env: --endpoint-url must be an http:// or https:// URL, like %s\n", defaultEndpoint)
		return exitUsage
	}
	ep := strings.TrimSuffix(u.String(), "/")
	if !regionName.MatchString(*region) {
		fmt.Fprintf(stderr, "gatehouse env: --region %q is not a region code, like us-east-1\n", *region)
		return exitUsage
	}
	switch *format {
	case "sh":
		fmt.Fprintf(stdout, "export AWS_ENDPOINT_URL=%s\nexport AWS_REGION=%s\nexport AWS_DEFAULT_REGION=%s\n",
			shellQuote(ep), *region, *region)
		writeComment(stdout, endpointClients)
	case "profile":
		if !profileName.MatchString(*profile) {
			fmt.Fprintf(stderr, "gatehouse env: --profile %q: use letters, digits and _.+@- only\n", *profile)
			return exitUsage
		}
		section := "profile " + *profile
		if *profile == "default" {
			section = "default"
		}
		writeComment(stdout, "Add to ~/.aws/config (or $AWS_CONFIG_FILE), keys in ~/.aws/credentials;\nthen export AWS_PROFILE="+*profile+".\n"+endpointClients)
		fmt.Fprintf(stdout, "[%s]\nregion = %s\nendpoint_url = %s\n", section, *region, ep)
	default:
		fmt.Fprintf(stderr, "gatehouse env: --format is sh or profile\n")
		return exitUsage
	}
	return exitOK
}

// writeComment writes text as "# " lines.
func writeComment(w io.Writer, text string) {
	for line := range strings.SplitSeq(strings.TrimSpace(text), "\n") {
		fmt.Fprintf(w, "# %s\n", line)
	}
}
