package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

// The client commands ("gatehouse root ...", "billing iam-access",
// "seller", "govcloud") read the AWS configuration the way the aws CLI
// and the SDKs do, through aws-sdk-go-v2's config package: the profile
// named by AWS_PROFILE (else "default") in the shared config and
// credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), the
// AWS_* environment variables before them, the credential chain with its
// SSO, web identity, assume-role and credential_process profiles, the
// region, and the configured endpoints.

// serviceID is the SDK ID of Gatehouse's own service: its service-specific
// endpoint is AWS_ENDPOINT_URL_GATEHOUSE, or endpoint_url under
// "gatehouse" in a profile's services section.
const serviceID = "gatehouse"

// defaultRegion signs client requests when no region is configured.
const defaultRegion = "us-east-1"

// loadAWSConfig loads the shared AWS configuration. The EC2 instance
// metadata service stays out of the chain: its credentials are AWS's, of
// no use to a Gatehouse server, and probing for it costs seconds off EC2.
func loadAWSConfig(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	if err != nil {
		return aws.Config{}, fmt.Errorf("reading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	return cfg, nil
}

// serviceEndpoint is the endpoint the configuration gives the gatehouse
// service, as the SDK resolves a service's endpoint: unless
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
// ignore_configured_endpoint_urls) is set, the service-specific setting
// (AWS_ENDPOINT_URL_GATEHOUSE, then the profile's services section), then
// the global one (AWS_ENDPOINT_URL, then the profile's endpoint_url).
func serviceEndpoint(ctx context.Context, cfg aws.Config) (string, error) {
	type ignorer interface {
		GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error)
	}
	type serviceSource interface {
		GetServiceBaseEndpoint(context.Context, string) (string, bool, error)
	}
	for _, src := range cfg.ConfigSources {
		if s, ok := src.(ignorer); ok {
			ignore, found, err := s.GetIgnoreConfiguredEndpoints(ctx)
			if err != nil {
				return "", err
			}
			if found && ignore {
				return "", nil
			}
		}
	}
	for _, src := range cfg.ConfigSources {
		if _, options := src.(config.LoadOptions); options {
			continue // nothing the user configured
		}
		if s, ok := src.(serviceSource); ok {
			v, found, err := s.GetServiceBaseEndpoint(ctx, serviceID)
			if err != nil {
				return "", err
			}
			if found && v != "" {
				return v, nil
			}
		}
	}
	if cfg.BaseEndpoint != nil {
		return *cfg.BaseEndpoint, nil
	}
	return "", nil
}

// resolveEndpoint is the endpoint a client command sends to: the
// --endpoint-url flag, else the configured endpoint, else
// defaultEndpoint.
func resolveEndpoint(ctx context.Context, cfg aws.Config, flag string) (string, error) {
	if flag == "" {
		var err error
		if flag, err = serviceEndpoint(ctx, cfg); err != nil {
			return "", err
		}
	}
	if flag == "" {
		flag = defaultEndpoint
	}
	return strings.TrimSuffix(flag, "/"), nil
}

// clientSettings loads the configuration and resolves the endpoint and,
// when signed is set, the credentials of a client command.
func clientSettings(ctx context.Context, flagEndpoint string, signed bool) (endpoint string, cfg aws.Config, creds aws.Credentials, err error) {
	if cfg, err = loadAWSConfig(ctx); err != nil {
		return "", cfg, creds, err
	}
	if endpoint, err = resolveEndpoint(ctx, cfg, flagEndpoint); err != nil {
		return "", cfg, creds, err
	}
	if !signed {
		return endpoint, cfg, creds, nil
	}
	if cfg.Credentials == nil {
		return "", cfg, creds, errNoCredentials
	}
	if creds, err = cfg.Credentials.Retrieve(ctx); err != nil || creds.AccessKeyID == "" {
		if err == nil || isNoCredentials(err) {
			err = errNoCredentials
		}
		return "", cfg, creds, err
	}
	return endpoint, cfg, creds, nil
}

// isNoCredentials reports whether the credential chain found nothing.
func isNoCredentials(err error) bool {
	return strings.Contains(err.Error(), "no EC2 IMDS role found")
}

var errNoCredentials = errors.New("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE naming a profile of ~/.aws/credentials or ~/.aws/config")

// endpointURL is resolveEndpoint for commands that sign nothing; a
// configuration that does not load leaves the flag or the default (the
// signed commands report that error).
func endpointURL(flag string) string {
	ctx := context.Background()
	cfg, err := loadAWSConfig(ctx)
	if err != nil {
		if flag == "" {
			flag = os.Getenv("AWS_ENDPOINT_URL")
		}
		if flag == "" {
			flag = defaultEndpoint
		}
		return strings.TrimSuffix(flag, "/")
	}
	e, err := resolveEndpoint(ctx, cfg, flag)
	if err != nil {
		return defaultEndpoint
	}
	return e
}
