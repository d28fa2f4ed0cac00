package iam

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse"
	"github.com/gatehouse-dev/gatehouse/arn"
	"github.com/gatehouse-dev/gatehouse/policy"
)

// MaxPolicyDocumentLength is the longest policy document IAM accepts, in
// characters, white space included: the maximum of the IAM model's
// policyDocumentType, which every member carrying a document uses
// (PolicyDocument, AssumeRolePolicyDocument, the simulator's inputs). The
// size quotas (MaxManagedPolicySize, MaxInlineUserPolicySize, ...) do not
// count white space, so without this cap a document within its quota
// could carry megabytes of padding into the store.
const MaxPolicyDocumentLength = 131072

// CheckDocumentLength refuses a policy document of more than
// MaxPolicyDocumentLength characters with the ValidationError of IAM's
// model validation, naming the member field; the document is not echoed.
func CheckDocumentLength(doc, field string) error {
	if !documentTooLong(doc) {
		return nil
	}
	return memberError(field, fmt.Sprintf("have length less than or equal to %d", MaxPolicyDocumentLength))
}

// CheckDocumentList applies CheckDocumentLength to every document of a
// list member (the simulator's PolicyInputList), worded as AWS words a
// constraint on the members of a list; the documents are not echoed.
func CheckDocumentList(docs []string, field string) error {
	for _, d := range docs {
		if documentTooLong(d) {
			return memberError(field, fmt.Sprintf("satisfy constraint: [Member must have length less than or equal to %d]", MaxPolicyDocumentLength))
		}
	}
	return nil
}

// documentTooLong counts characters (the model's unit), looking at the
// runes only when the bytes could be too many.
func documentTooLong(doc string) bool {
	return len(doc) > MaxPolicyDocumentLength && utf8.RuneCountInString(doc) > MaxPolicyDocumentLength
}

// validateDocument applies AWS's write-time checks to an identity policy
// document and returns the error AWS would return.
func validateDocument(doc string, kind policy.Kind, maxSize int, sizeMessage string) error {
	findings := policy.Validate([]byte(doc), policy.ValidateOptions{Kind: kind, MaxSize: maxSize, SizeMessage: sizeMessage})
	if f, bad := policy.FirstError(findings); bad {
		return gatehouse.PolicyFindingError(f.Code, f.Message)
	}
	return nil
}

// CreatePolicyInput is the input of CreatePolicy.
type CreatePolicyInput struct {
	PolicyName     string
	Path           string
	PolicyDocument string
	Description    string
	Tags           []gatehouse.Tag
}

// PolicyInfo is a managed policy with its usage in the caller's account.
type PolicyInfo struct {
	*gatehouse.ManagedPolicy
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
}

// CreatePolicy creates a customer managed policy with version v1.
func (s *Service) CreatePolicy(ctx context.Context, account string, in CreatePolicyInput) (*PolicyInfo, error) {
	if err := checkName(in.PolicyName, "policyName", 128); err != nil {
		return nil, err
	}
	path := orSlash(in.Path)
	if len(path) > 512 || !policyPathPattern.MatchString(path) {
		return nil, validationError(path, "path", `satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
	}
	// policyDescriptionType has a length and no pattern: AWS stores any
	// character in a managed policy's description.
	if utf8.RuneCountInString(in.Description) > 1000 {
		return nil, validationError(in.Description, "description", "have length less than or equal to 1000")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if err := CheckDocumentLength(in.PolicyDocument, "policyDocument"); err != nil {
		return nil, err
	}
	if err := validateDocument(in.PolicyDocument, policy.KindIdentity, MaxManagedPolicySize, ""); err != nil {
		return nil, err
	}
	id, err := s.NewID("ANPA")
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &gatehouse.ManagedPolicy{
		AccountID: account, Name: in.PolicyName, ID: id, Path: path, Description: in.Description,
		DefaultVersionID: "v1", NextVersion: 2, CreatedAt: now, UpdatedAt: now, Tags: in.Tags,
	}
	v := &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v1", Document: in.PolicyDocument, CreatedAt: now}
	err = s.Store.Update(ctx, func(tx Tx) error {
		existing, err := tx.Policies(account)
		if err != nil {
			return err
		}
		for _, e := range existing {
			if strings.EqualFold(e.Name, p.Name) {
				return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "A policy called %s already exists. Duplicate names are not allowed.", p.Name)
			}
		}
		if len(existing) >= MaxPoliciesPerAccount {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for PoliciesPerAccount: %d", MaxPoliciesPerAccount)
		}
		return tx.CreatePolicy(p, v)
	})
	if err != nil {
		return nil, err
	}
	return &PolicyInfo{ManagedPolicy: p}, nil
}

// getPolicy fetches a managed policy the account may see: its own or an
// AWS managed one, named by its exact ARN.
func getPolicy(tx Tx, account, policyARN string) (*gatehouse.ManagedPolicy, error) {
	p, err := resolvePolicy(tx, account, policyARN)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s was not found.", policyARN)
	}
	return p, err
}

// requireAttachable checks that a policy the account may attach (its own
// or an AWS managed one) exists under exactly that ARN and can be
// attached.
func requireAttachable(tx Tx, account, policyARN string) error {
	p, err := resolvePolicy(tx, account, policyARN)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s does not exist or is not attachable.", policyARN)
	}
	if err != nil {
		return err
	}
	if p.AccountID == gatehouse.AWSManagedAccount && p.Path == "/root-task/" {
		return gatehouse.Errorf(gatehouse.CodeNotAttachable, "Policy %s is not attachable.", policyARN)
	}
	return nil
}

// resolvePolicy reads the managed policy policyARN names, for account:
// one of the account's own policies or an AWS managed policy, in the
// account's partition. The store finds names ignoring case and AWS
// managed policies under either partition; resolvePolicy accepts only
// the policy's own ARN, spelled exactly, so that what authorization
// decided on (the ARN in the request, and iam:PolicyARN) is the policy
// acted on. Any other spelling (case, partition, slashes) is not found.
func resolvePolicy(tx Tx, account, policyARN string) (*gatehouse.ManagedPolicy, error) {
	a, err := arn.Parse(policyARN)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "policy/") {
		return nil, gatehouse.Errorf(gatehouse.CodeInvalidInput, "ARN %s is not valid.", policyARN)
	}
	if a.Account != account && a.Account != gatehouse.AWSManagedAccount {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s was not found.", policyARN)
	}
	p, err := tx.Policy(policyARN)
	if err != nil {
		return nil, err
	}
	partition, err := partitionOf(tx, account)
	if err != nil {
		return nil, err
	}
	if PolicyARNIn(p, partition) != policyARN {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s was not found.", policyARN)
	}
	return p, nil
}

// partitionOf returns the partition of account's ARNs: the stored
// account's, or gatehouse.Partition for an account the store does not
// hold (whose entities the store reads in the standard partition too).
func partitionOf(tx Tx, account string) (string, error) {
	a, err := tx.Account(account)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return gatehouse.Partition, nil
	}
	if err != nil {
		return "", err
	}
	return a.ARNPartition(), nil
}

// PolicyARNIn returns a managed policy's ARN as an account in partition
// spells it: AWS managed policies exist once, under every partition.
func PolicyARNIn(p *gatehouse.ManagedPolicy, partition string) string {
	arn := p.ARN()
	if p.AccountID == gatehouse.AWSManagedAccount && partition != gatehouse.Partition {
		return "arn:" + partition + strings.TrimPrefix(arn, "arn:"+gatehouse.Partition)
	}
	return arn
}

// policyKey returns the ARN a policy's usage is counted under: its own,
// and for an AWS managed policy the standard partition's spelling, under
// which the store keeps its attachments.
func policyKey(policyARN string) string {
	if rest, ok := strings.CutPrefix(policyARN, "arn:"+gatehouse.PartitionGovCloud+":iam::"+gatehouse.AWSManagedAccount+":"); ok {
		return "arn:" + gatehouse.Partition + ":iam::" + gatehouse.AWSManagedAccount + ":" + rest
	}
	return policyARN
}

// usage counts, by policyKey, the account's entities each managed policy
// is attached to and the users and roles that have it as their
// permissions boundary: three reads, whatever the number of policies.
type usage struct {
	attached, boundaries map[string]int
}

func readUsage(tx Tx, account string) (*usage, error) {
	counts, err := tx.AttachmentCounts(account)
	if err != nil {
		return nil, err
	}
	u := &usage{attached: map[string]int{}, boundaries: map[string]int{}}
	for arn, n := range counts {
		u.attached[policyKey(arn)] += n
	}
	users, err := tx.Users(account)
	if err != nil {
		return nil, err
	}
	for _, x := range users {
		if x.PermissionsBoundary != "" {
			u.boundaries[policyKey(x.PermissionsBoundary)]++
		}
	}
	roles, err := tx.Roles(account)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if r.PermissionsBoundary != "" {
			u.boundaries[policyKey(r.PermissionsBoundary)]++
		}
	}
	return u, nil
}

func (u *usage) info(p *gatehouse.ManagedPolicy) *PolicyInfo {
	key := policyKey(p.ARN())
	return &PolicyInfo{ManagedPolicy: p, AttachmentCount: u.attached[key], PermissionsBoundaryUsageCount: u.boundaries[key]}
}

func (s *Service) info(tx Tx, account string, p *gatehouse.ManagedPolicy) (*PolicyInfo, error) {
	u, err := readUsage(tx, account)
	if err != nil {
		return nil, err
	}
	return u.info(p), nil
}

// refuseAWSManaged refuses a change to an AWS managed policy (an ARN of
// account "aws", whether or not such a policy exists) as AWS does:
// AccessDenied, "Cannot <verb> a policy outside your own account."
func refuseAWSManaged(policyARN, verb string) error {
	if a, err := arn.Parse(policyARN); err == nil && a.Account == gatehouse.AWSManagedAccount {
		return gatehouse.Errorf(gatehouse.CodeDenied, "Cannot %s a policy outside your own account.", verb)
	}
	return nil
}

// awsARNIn spells the ARN under which the store lists an attached AWS
// managed policy (the standard partition's) as an account in partition
// does; any other ARN is returned unchanged.
func awsARNIn(policyARN, partition string) string {
	prefix := "arn:" + gatehouse.Partition + ":iam::" + gatehouse.AWSManagedAccount + ":"
	if rest, ok := strings.CutPrefix(policyARN, prefix); ok && partition != gatehouse.Partition {
		return "arn:" + partition + ":iam::" + gatehouse.AWSManagedAccount + ":" + rest
	}
	return policyARN
}

// Policy returns a managed policy with its usage counts.
func (s *Service) Policy(ctx context.Context, account, policyARN string) (*PolicyInfo, error) {
	var out *PolicyInfo
	err := s.Store.View(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		out, err = s.info(tx, account, p)
		return err
	})
	return out, err
}

// ListPoliciesInput filters ListPolicies.
type ListPoliciesInput struct {
	Scope        string // "All" (default), "AWS" or "Local"
	OnlyAttached bool
	PathPrefix   string
	UsageFilter  string // "", "PermissionsPolicy" or "PermissionsBoundary"
}

// Policies lists managed policies visible to the account, sorted by name.
func (s *Service) Policies(ctx context.Context, account string, in ListPoliciesInput) ([]*PolicyInfo, error) {
	var out []*PolicyInfo
	err := s.Store.View(ctx, func(tx Tx) error {
		var all []*gatehouse.ManagedPolicy
		if in.Scope != "Local" {
			aws, err := tx.Policies(gatehouse.AWSManagedAccount)
			if err != nil {
				return err
			}
			all = append(all, aws...)
		}
		if in.Scope != "AWS" {
			local, err := tx.Policies(account)
			if err != nil {
				return err
			}
			all = append(all, local...)
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].Name < all[j].Name })
		u, err := readUsage(tx, account)
		if err != nil {
			return err
		}
		for _, p := range all {
			if !strings.HasPrefix(p.Path, orSlash(in.PathPrefix)) {
				continue
			}
			info := u.info(p)
			if in.OnlyAttached && info.AttachmentCount == 0 && info.PermissionsBoundaryUsageCount == 0 {
				continue
			}
			switch in.UsageFilter {
			case "PermissionsBoundary":
				if info.PermissionsBoundaryUsageCount == 0 && in.OnlyAttached {
					continue
				}
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

// DeletePolicy deletes a customer managed policy that is not attached
// and has no versions besides the default.
func (s *Service) DeletePolicy(ctx context.Context, account, policyARN string) error {
	if err := refuseAWSManaged(policyARN, "delete"); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		info, err := s.info(tx, account, p)
		if err != nil {
			return err
		}
		if info.AttachmentCount > 0 || info.PermissionsBoundaryUsageCount > 0 {
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete a policy attached to entities.")
		}
		versions, err := tx.PolicyVersions(p.ARN())
		if err != nil {
			return err
		}
		if len(versions) > 1 {
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete policies with versions. Delete all non-default versions before deleting the policy.")
		}
		return tx.DeletePolicy(p.ARN())
	})
}

// CreatePolicyVersion adds a version to a customer managed policy.
func (s *Service) CreatePolicyVersion(ctx context.Context, account, policyARN, document string, setAsDefault bool) (*gatehouse.PolicyVersion, error) {
	if err := CheckDocumentLength(document, "policyDocument"); err != nil {
		return nil, err
	}
	if err := validateDocument(document, policy.KindIdentity, MaxManagedPolicySize, ""); err != nil {
		return nil, err
	}
	if err := refuseAWSManaged(policyARN, "modify"); err != nil {
		return nil, err
	}
	var v *gatehouse.PolicyVersion
	err := s.Store.Update(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		versions, err := tx.PolicyVersions(p.ARN())
		if err != nil {
			return err
		}
		if len(versions) >= MaxVersionsPerPolicy {
			return gatehouse.Errorf(gatehouse.CodeLimit, "A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", MaxVersionsPerPolicy)
		}
		now := s.now()
		v = &gatehouse.PolicyVersion{PolicyARN: p.ARN(), VersionID: "v" + strconv.Itoa(p.NextVersion), Document: document, CreatedAt: now}
		if err := tx.CreatePolicyVersion(v); err != nil {
			return err
		}
		p.NextVersion++
		p.UpdatedAt = now
		if setAsDefault {
			p.DefaultVersionID = v.VersionID
		}
		return tx.UpdatePolicy(p)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

func getVersion(tx Tx, policyARN, versionID string) (*gatehouse.PolicyVersion, error) {
	v, err := tx.PolicyVersion(policyARN, versionID)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s version %s does not exist or is not attachable.", policyARN, versionID)
	}
	return v, err
}

// PolicyVersion returns one version and whether it is the default.
func (s *Service) PolicyVersion(ctx context.Context, account, policyARN, versionID string) (*gatehouse.PolicyVersion, bool, error) {
	var v *gatehouse.PolicyVersion
	var isDefault bool
	err := s.Store.View(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		v, err = getVersion(tx, p.ARN(), versionID)
		isDefault = err == nil && v.VersionID == p.DefaultVersionID
		return err
	})
	return v, isDefault, err
}

// PolicyVersions lists a policy's versions, newest first, and the
// default version's ID.
func (s *Service) PolicyVersions(ctx context.Context, account, policyARN string) ([]*gatehouse.PolicyVersion, string, error) {
	var out []*gatehouse.PolicyVersion
	var def string
	err := s.Store.View(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		def = p.DefaultVersionID
		out, err = tx.PolicyVersions(p.ARN())
		return err
	})
	return out, def, err
}

// DeletePolicyVersion deletes a non-default version.
func (s *Service) DeletePolicyVersion(ctx context.Context, account, policyARN, versionID string) error {
	if err := refuseAWSManaged(policyARN, "modify"); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		if _, err := getVersion(tx, p.ARN(), versionID); err != nil {
			return err
		}
		if versionID == p.DefaultVersionID {
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete the default version of a policy.")
		}
		return tx.DeletePolicyVersion(p.ARN(), versionID)
	})
}

// SetDefaultPolicyVersion makes a version the policy's default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, account, policyARN, versionID string) error {
	if err := refuseAWSManaged(policyARN, "modify"); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		if _, err := getVersion(tx, p.ARN(), versionID); err != nil {
			return err
		}
		p.DefaultVersionID = versionID
		p.UpdatedAt = s.now()
		return tx.UpdatePolicy(p)
	})
}

// entityExists returns the canonical name of a user or group.
func entityExists(tx Tx, account string, e gatehouse.EntityRef) (gatehouse.EntityRef, error) {
	switch e.Kind {
	case gatehouse.KindUser:
		u, err := getUser(tx, account, e.Name)
		if err != nil {
			return e, err
		}
		return gatehouse.EntityRef{Kind: e.Kind, Name: u.Name}, nil
	case gatehouse.KindGroup:
		g, err := getGroup(tx, account, e.Name)
		if err != nil {
			return e, err
		}
		return gatehouse.EntityRef{Kind: e.Kind, Name: g.Name}, nil
	case gatehouse.KindRole:
		r, err := getRole(tx, account, e.Name)
		if err != nil {
			return e, err
		}
		return gatehouse.EntityRef{Kind: e.Kind, Name: r.Name}, nil
	}
	return e, fmt.Errorf("iam: entity kind %q not supported", e.Kind)
}

// AttachPolicy attaches a managed policy to a user or group.
func (s *Service) AttachPolicy(ctx context.Context, account string, e gatehouse.EntityRef, policyARN string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		ref, err := entityExists(tx, account, e)
		if err != nil {
			return err
		}
		if err := requireAttachable(tx, account, policyARN); err != nil {
			return err
		}
		if a, _ := arn.Parse(policyARN); a.Account != account && a.Account != gatehouse.AWSManagedAccount {
			return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s does not exist or is not attachable.", policyARN)
		}
		attached, err := tx.AttachedPolicies(account, ref)
		if err != nil {
			return err
		}
		partition, err := partitionOf(tx, account)
		if err != nil {
			return err
		}
		for _, a := range attached {
			if awsARNIn(a, partition) == policyARN {
				return nil
			}
		}
		limit, quota := MaxManagedPerUser, "PoliciesPerUser"
		switch ref.Kind {
		case gatehouse.KindGroup:
			limit, quota = MaxManagedPerGroup, "PoliciesPerGroup"
		case gatehouse.KindRole:
			limit, quota = MaxManagedPerRole, "PoliciesPerRole"
		}
		if len(attached) >= limit {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for %s: %d", quota, limit)
		}
		return tx.AttachPolicy(account, ref, policyARN)
	})
}

// DetachPolicy detaches a managed policy from a user or group.
func (s *Service) DetachPolicy(ctx context.Context, account string, e gatehouse.EntityRef, policyARN string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		ref, err := entityExists(tx, account, e)
		if err != nil {
			return err
		}
		attached, err := tx.AttachedPolicies(account, ref)
		if err != nil {
			return err
		}
		partition, err := partitionOf(tx, account)
		if err != nil {
			return err
		}
		for _, a := range attached {
			if awsARNIn(a, partition) == policyARN {
				return tx.DetachPolicy(account, ref, policyARN)
			}
		}
		return gatehouse.Errorf(gatehouse.CodeNotFound, "Policy %s was not found.", policyARN)
	})
}

// AttachedPolicies lists the managed policies attached to a user or group.
func (s *Service) AttachedPolicies(ctx context.Context, account string, e gatehouse.EntityRef, pathPrefix string) ([]*gatehouse.ManagedPolicy, error) {
	var out []*gatehouse.ManagedPolicy
	err := s.Store.View(ctx, func(tx Tx) error {
		ref, err := entityExists(tx, account, e)
		if err != nil {
			return err
		}
		arns, err := tx.AttachedPolicies(account, ref)
		if err != nil {
			return err
		}
		for _, a := range arns {
			p, err := tx.Policy(a)
			if err != nil {
				return err
			}
			if strings.HasPrefix(p.Path, orSlash(pathPrefix)) {
				out = append(out, p)
			}
		}
		return nil
	})
	return out, err
}

// Entity filters and policy usage filters of ListEntitiesForPolicy.
const (
	EntityUser               = "User"
	EntityRole               = "Role"
	EntityGroup              = "Group"
	EntityLocalManagedPolicy = "LocalManagedPolicy"
	EntityAWSManagedPolicy   = "AWSManagedPolicy"

	UsagePermissionsPolicy   = "PermissionsPolicy"
	UsagePermissionsBoundary = "PermissionsBoundary"
)

// PolicyEntitiesInput filters ListEntitiesForPolicy: every field is
// optional.
type PolicyEntitiesInput struct {
	// EntityFilter is User, Role or Group, or LocalManagedPolicy or
	// AWSManagedPolicy (every entity, when the policy is of that kind).
	EntityFilter string
	// PathPrefix keeps entities whose path starts with it.
	PathPrefix string
	// UsageFilter is PermissionsPolicy (attached) or PermissionsBoundary
	// (set as the entity's boundary); "" is both.
	UsageFilter string
}

// PolicyEntities are the entities that use a managed policy, each list
// sorted by name.
type PolicyEntities struct {
	Groups []*gatehouse.Group
	Users  []*gatehouse.User
	Roles  []*gatehouse.Role
}

// PolicyEntities lists the users, groups and roles of the account that
// use a managed policy: attached to them, or as their permissions
// boundary (groups have none).
func (s *Service) PolicyEntities(ctx context.Context, account, policyARN string, in PolicyEntitiesInput) (*PolicyEntities, error) {
	switch in.EntityFilter {
	case "", EntityUser, EntityRole, EntityGroup, EntityLocalManagedPolicy, EntityAWSManagedPolicy:
	default:
		return nil, validationError(in.EntityFilter, "entityFilter", "satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
	}
	switch in.UsageFilter {
	case "", UsagePermissionsPolicy, UsagePermissionsBoundary:
	default:
		return nil, validationError(in.UsageFilter, "policyUsageFilter", "satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
	}
	if in.PathPrefix != "" {
		if err := checkPathPrefix(in.PathPrefix); err != nil {
			return nil, err
		}
	}
	out := &PolicyEntities{}
	err := s.Store.View(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		want := func(kind string) bool {
			switch in.EntityFilter {
			case "":
				return true
			case EntityLocalManagedPolicy:
				return p.AccountID != gatehouse.AWSManagedAccount
			case EntityAWSManagedPolicy:
				return p.AccountID == gatehouse.AWSManagedAccount
			}
			return in.EntityFilter == kind
		}
		prefix := orSlash(in.PathPrefix)
		users, groups, roles := map[string]bool{}, map[string]bool{}, map[string]bool{}
		if in.UsageFilter != UsagePermissionsBoundary {
			refs, err := tx.PolicyAttachments(account, policyARN)
			if err != nil {
				return err
			}
			for _, r := range refs {
				switch r.Kind {
				case gatehouse.KindUser:
					users[r.Name] = true
				case gatehouse.KindGroup:
					groups[r.Name] = true
				case gatehouse.KindRole:
					roles[r.Name] = true
				}
			}
		}
		boundaries := in.UsageFilter != UsagePermissionsPolicy
		// The store lists each kind sorted by name, as ListUsers shows them.
		if want(EntityGroup) {
			all, err := tx.Groups(account)
			out.Groups = keep(all, func(g *gatehouse.Group) bool { return groups[g.Name] && strings.HasPrefix(g.Path, prefix) })
			if err != nil {
				return err
			}
		}
		if want(EntityUser) {
			all, err := tx.Users(account)
			out.Users = keep(all, func(u *gatehouse.User) bool {
				return (users[u.Name] || boundaries && u.PermissionsBoundary == p.ARN()) && strings.HasPrefix(u.Path, prefix)
			})
			if err != nil {
				return err
			}
		}
		if want(EntityRole) {
			all, err := tx.Roles(account)
			out.Roles = keep(all, func(r *gatehouse.Role) bool {
				return (roles[r.Name] || boundaries && r.PermissionsBoundary == p.ARN()) && strings.HasPrefix(r.Path, prefix)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutInlinePolicy creates or replaces an inline policy of a user or group.
func (s *Service) PutInlinePolicy(ctx context.Context, account string, e gatehouse.EntityRef, name, document string) error {
	if err := checkName(name, "policyName", 128); err != nil {
		return err
	}
	if err := CheckDocumentLength(document, "policyDocument"); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		ref, err := entityExists(tx, account, e)
		if err != nil {
			return err
		}
		existing, err := tx.InlinePolicies(account, ref)
		if err != nil {
			return err
		}
		limit := MaxInlineUserPolicySize
		switch ref.Kind {
		case gatehouse.KindGroup:
			limit = MaxInlineGroupSize
		case gatehouse.KindRole:
			limit = MaxInlineRoleSize
		}
		total := policy.Size([]byte(document))
		for _, p := range existing {
			if !strings.EqualFold(p.Name, name) {
				total += policy.Size([]byte(p.Document))
			}
		}
		if total > limit {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Maximum policy size of %d bytes exceeded for %s %s", limit, ref.Kind, ref.Name)
		}
		if err := validateDocument(document, policy.KindIdentity, limit, ""); err != nil {
			return err
		}
		return tx.PutInlinePolicy(&gatehouse.InlinePolicy{AccountID: account, Owner: ref, Name: name, Document: document})
	})
}

// InlinePolicy returns an inline policy of a user or group.
func (s *Service) InlinePolicy(ctx context.Context, account string, e gatehouse.EntityRef, name string) (*gatehouse.InlinePolicy, error) {
	var out *gatehouse.InlinePolicy
	err := s.Store.View(ctx, func(tx Tx) error {
		ref, err := entityExists(tx, account, e)
		if err != nil {
			return err
		}
		out, err = tx.InlinePolicy(account, ref, name)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return gatehouse.Errorf(gatehouse.CodeNotFound, "The %s policy with name %s cannot be found.", ref.Kind, name)
		}
		return err
	})
	return out, err
}

// InlinePolicyNames lists the inline policy names of a user or group.
func (s *Service) InlinePolicyNames(ctx context.Context, account string, e gatehouse.EntityRef) ([]string, error) {
	var out []string
	err := s.Store.View(ctx, func(tx Tx) error {
		ref, err := entityExists(tx, account, e)
		if err != nil {
			return err
		}
		ps, err := tx.InlinePolicies(account, ref)
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return err
	})
	return out, err
}

// DeleteInlinePolicy deletes an inline policy of a user or group.
func (s *Service) DeleteInlinePolicy(ctx context.Context, account string, e gatehouse.EntityRef, name string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		ref, err := entityExists(tx, account, e)
		if err != nil {
			return err
		}
		err = tx.DeleteInlinePolicy(account, ref, name)
		if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
			return gatehouse.Errorf(gatehouse.CodeNotFound, "The %s policy with name %s cannot be found.", ref.Kind, name)
		}
		return err
	})
}

// TagPolicy adds or replaces tags on a customer managed policy.
func (s *Service) TagPolicy(ctx context.Context, account, policyARN string, tags []gatehouse.Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.updateTags(ctx, account, policyARN, "tag", func(have []gatehouse.Tag) ([]gatehouse.Tag, error) {
		return addTags(have, tags)
	})
}

// UntagPolicy removes tags from a customer managed policy by key.
func (s *Service) UntagPolicy(ctx context.Context, account, policyARN string, keys []string) error {
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.updateTags(ctx, account, policyARN, "untag", func(have []gatehouse.Tag) ([]gatehouse.Tag, error) {
		return removeTags(have, keys), nil
	})
}

func (s *Service) updateTags(ctx context.Context, account, policyARN, verb string, change func([]gatehouse.Tag) ([]gatehouse.Tag, error)) error {
	if err := refuseAWSManaged(policyARN, verb); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		p, err := getPolicy(tx, account, policyARN)
		if err != nil {
			return err
		}
		if p.Tags, err = change(p.Tags); err != nil {
			return err
		}
		return tx.UpdatePolicy(p)
	})
}

// checkNoPolicies refuses to delete an entity that still has inline or
// attached policies, with AWS's DeleteConflict messages.
func checkNoPolicies(tx Tx, account string, ref gatehouse.EntityRef) error {
	inline, err := tx.InlinePolicies(account, ref)
	if err != nil {
		return err
	}
	if len(inline) > 0 {
		return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete entity, must delete policies first.")
	}
	attached, err := tx.AttachedPolicies(account, ref)
	if err != nil {
		return err
	}
	if len(attached) > 0 {
		return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete entity, must detach all policies first.")
	}
	return nil
}

// keep returns the items of list for which ok holds, in order.
func keep[T any](list []T, ok func(T) bool) []T {
	var out []T
	for _, x := range list {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}
