package iam

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// CreateGroup creates an IAM group.
func (s *Service) CreateGroup(ctx context.Context, account, name, path string) (*gatehouse.Group, error) {
	if err := checkName(name, "groupName", 128); err != nil {
		return nil, err
	}
	path = orSlash(path)
	if err := checkPath(path, "path"); err != nil {
		return nil, err
	}
	id, err := s.NewID("AGPA")
	if err != nil {
		return nil, err
	}
	g := &gatehouse.Group{AccountID: account, Name: name, ID: id, Path: path, CreatedAt: s.now()}
	err = s.Store.Update(ctx, func(tx Tx) error {
		groups, err := tx.Groups(account)
		if err != nil {
			return err
		}
		if len(groups) >= MaxGroupsPerAccount {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for GroupsPerAccount: %d", MaxGroupsPerAccount)
		}
		err = tx.CreateGroup(g)
		if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
			return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Group with name %s already exists.", name)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

func getGroup(tx Tx, account, name string) (*gatehouse.Group, error) {
	g, err := tx.Group(account, name)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The group with name %s cannot be found.", name)
	}
	return g, err
}

// Group returns a group and its members.
func (s *Service) Group(ctx context.Context, account, name string) (*gatehouse.Group, []*gatehouse.User, error) {
	var g *gatehouse.Group
	var members []*gatehouse.User
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		if g, err = getGroup(tx, account, name); err != nil {
			return err
		}
		members, err = tx.GroupMembers(account, g.Name)
		return err
	})
	return g, members, err
}

// Groups lists the groups whose path starts with pathPrefix.
func (s *Service) Groups(ctx context.Context, account, pathPrefix string) ([]*gatehouse.Group, error) {
	var out []*gatehouse.Group
	err := s.Store.View(ctx, func(tx Tx) error {
		groups, err := tx.Groups(account)
		for _, g := range groups {
			if strings.HasPrefix(g.Path, orSlash(pathPrefix)) {
				out = append(out, g)
			}
		}
		return err
	})
	return out, err
}

// UpdateGroup renames a group or changes its path.
func (s *Service) UpdateGroup(ctx context.Context, account, name string, newName, newPath *string) error {
	if newName != nil {
		if err := checkName(*newName, "newGroupName", 128); err != nil {
			return err
		}
	}
	if newPath != nil {
		if err := checkPath(*newPath, "newPath"); err != nil {
			return err
		}
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		g, err := getGroup(tx, account, name)
		if err != nil {
			return err
		}
		if newName != nil {
			g.Name = *newName
		}
		if newPath != nil {
			g.Path = *newPath
		}
		err = tx.UpdateGroup(name, g)
		if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
			return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "Group with name %s already exists.", g.Name)
		}
		return err
	})
}

// DeleteGroup deletes a group without members or policies.
func (s *Service) DeleteGroup(ctx context.Context, account, name string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		g, err := getGroup(tx, account, name)
		if err != nil {
			return err
		}
		members, err := tx.GroupMembers(account, g.Name)
		if err != nil {
			return err
		}
		if len(members) > 0 {
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete entity, must remove users from group first.")
		}
		ref := gatehouse.EntityRef{Kind: gatehouse.KindGroup, Name: g.Name}
		if err := checkNoPolicies(tx, account, ref); err != nil {
			return err
		}
		return tx.DeleteGroup(account, g.Name)
	})
}

// AddUserToGroup adds a user to a group.
func (s *Service) AddUserToGroup(ctx context.Context, account, group, user string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		g, err := getGroup(tx, account, group)
		if err != nil {
			return err
		}
		u, err := getUser(tx, account, user)
		if err != nil {
			return err
		}
		groups, err := tx.GroupsForUser(account, u.Name)
		if err != nil {
			return err
		}
		for _, have := range groups {
			if strings.EqualFold(have.Name, g.Name) {
				return nil
			}
		}
		if len(groups) >= MaxGroupsPerUser {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for GroupsPerUser: %d", MaxGroupsPerUser)
		}
		return tx.AddUserToGroup(account, g.Name, u.Name)
	})
}

// RemoveUserFromGroup removes a user from a group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, account, group, user string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		g, err := getGroup(tx, account, group)
		if err != nil {
			return err
		}
		u, err := getUser(tx, account, user)
		if err != nil {
			return err
		}
		members, err := tx.GroupMembers(account, g.Name)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.ID == u.ID {
				return tx.RemoveUserFromGroup(account, g.Name, u.Name)
			}
		}
		return gatehouse.Errorf(gatehouse.CodeNotFound, "The user with name %s cannot be found.", user)
	})
}

// GroupsForUser lists the groups a user belongs to.
func (s *Service) GroupsForUser(ctx context.Context, account, user string) ([]*gatehouse.Group, error) {
	var out []*gatehouse.Group
	err := s.Store.View(ctx, func(tx Tx) error {
		u, err := getUser(tx, account, user)
		if err != nil {
			return err
		}
		out, err = tx.GroupsForUser(account, u.Name)
		return err
	})
	return out, err
}
