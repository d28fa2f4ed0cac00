package s3

import (
	"context"
	"net/netip"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// limitingKeys are the condition keys whose fixed values make an Allow
// that names everyone non-public (aws-s3.md §9.6).
var limitingKeys = map[string]bool{
	"aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourceowner": true, "aws:sourceaccount": true,
	"aws:principalorgid": true, "aws:principalaccount": true, "aws:principalarn": true, "aws:userid": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true, "s3:dataaccesspointarn": true, "s3:dataaccesspointaccount": true,
}

// IsPublicPolicy reports whether a bucket policy is public as S3 judges
// it (aws-s3.md §9.6): S3 assumes public and looks for a reason not to.
// A policy is not public when every Allow statement grants only fixed
// principals (accounts, users, roles, services), or is limited by a
// condition on fixed values of a limiting key or of aws:SourceIp with no
// range wider than /8 (IPv4) or /32 (IPv6). A policy that does not parse
// is public.
func IsPublicPolicy(doc string) bool {
	d, err := policy.Parse([]byte(doc))
	if err != nil {
		return true
	}
	for _, st := range d.Statements {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		if publicPrincipal(st.Principal, st.NotPrincipal) && !limited(st.Condition) {
			return true
		}
	}
	return false
}

// publicPrincipal reports whether a statement's principals reach beyond
// fixed identities: "*", an AWS "*" or a pattern, a federated principal,
// or NotPrincipal.
func publicPrincipal(p, not *policy.Principals) bool {
	if not != nil {
		return true
	}
	if p == nil || p.Wildcard || len(p.Federated) > 0 {
		return true
	}
	for _, list := range [][]string{p.AWS, p.Service, p.CanonicalUser} {
		for _, v := range list {
			if strings.ContainsAny(v, "*?$") {
				return true
			}
		}
	}
	return false
}

// limited reports whether a condition block ties the statement to fixed
// values of a limiting key.
func limited(conds []policy.ConditionEntry) bool {
	for _, c := range conds {
		op := strings.ToLower(c.Operator)
		if strings.Contains(op, "ifexists") || strings.HasPrefix(op, "forallvalues:") || strings.Contains(op, "not") {
			continue
		}
		key := strings.ToLower(c.Key)
		switch {
		case key == "aws:sourceip" && (op == "ipaddress" || op == "foranyvalue:ipaddress") && narrowRanges(c.Values):
			return true
		case limitingKeys[key] && fixedValues(op, c.Values):
			return true
		}
	}
	return false
}

func fixedValues(op string, values []string) bool {
	if len(values) == 0 {
		return false
	}
	like := strings.Contains(op, "like")
	for _, v := range values {
		if strings.Contains(v, "${") || like && strings.ContainsAny(v, "*?") {
			return false
		}
	}
	return strings.Contains(op, "equals") || like || strings.HasPrefix(op, "arn")
}

// narrowRanges reports whether every CIDR is at most /8 wide for IPv4
// and /32 for IPv6.
func narrowRanges(values []string) bool {
	for _, v := range values {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			a, aerr := netip.ParseAddr(v)
			if aerr != nil {
				return false
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4() && p.Bits() < 8 || !p.Addr().Is4() && p.Bits() < 32 {
			return false
		}
	}
	return len(values) > 0
}

// DefaultPublicAccessBlock is the Block Public Access setting of every
// new bucket since April 2023: all four on.
func DefaultPublicAccessBlock() *gatehouse.PublicAccessBlock {
	return &gatehouse.PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}
}

// PutPublicAccessBlock sets the bucket's Block Public Access setting.
func (s *Service) PutPublicAccessBlock(ctx context.Context, b *gatehouse.Bucket, p gatehouse.PublicAccessBlock) error {
	_, err := s.updateBucket(ctx, b, func(b *gatehouse.Bucket) error {
		b.PublicAccessBlock = &p
		return nil
	})
	return err
}

// DeletePublicAccessBlock removes the bucket's Block Public Access
// setting.
func (s *Service) DeletePublicAccessBlock(ctx context.Context, b *gatehouse.Bucket) error {
	_, err := s.updateBucket(ctx, b, func(b *gatehouse.Bucket) error {
		b.PublicAccessBlock = nil
		return nil
	})
	return err
}

// PublicAccessBlock returns the bucket's Block Public Access setting
// (NoSuchPublicAccessBlockConfiguration when it has none).
func PublicAccessBlock(b *gatehouse.Bucket) (*gatehouse.PublicAccessBlock, error) {
	if b.PublicAccessBlock == nil {
		return nil, gatehouse.Errorf(CodeNoSuchPublicAccessBlock, "The public access block configuration was not found").With("BucketName", b.Name)
	}
	return b.PublicAccessBlock, nil
}

// RestrictsPolicy reports whether the bucket's policy grants nothing to
// principals outside the owner's account: it is public and the bucket
// has RestrictPublicBuckets on.
func RestrictsPolicy(b *gatehouse.Bucket) bool {
	return b.Policy != "" && b.PublicAccessBlock != nil && b.PublicAccessBlock.RestrictPublicBuckets && IsPublicPolicy(b.Policy)
}
