package iam

import (
	"context"
	"strings"

	"github.com/gatehouse-dev/gatehouse"
)

// CreateUserInput is the input of CreateUser.
type CreateUserInput struct {
	UserName            string
	Path                string
	PermissionsBoundary string
	Tags                []gatehouse.Tag
}

// CreateUser creates an IAM user.
func (s *Service) CreateUser(ctx context.Context, account string, in CreateUserInput) (*gatehouse.User, error) {
	if err := checkName(in.UserName, "userName", 64); err != nil {
		return nil, err
	}
	path := orSlash(in.Path)
	if err := checkPath(path, "path"); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	id, err := s.NewID("AIDA")
	if err != nil {
		return nil, err
	}
	u := &gatehouse.User{
		AccountID: account, Name: in.UserName, ID: id, Path: path, CreatedAt: s.now(),
		PermissionsBoundary: in.PermissionsBoundary, Tags: in.Tags,
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		users, err := tx.Users(account)
		if err != nil {
			return err
		}
		if len(users) >= MaxUsersPerAccount {
			return gatehouse.Errorf(gatehouse.CodeLimit, "Cannot exceed quota for UsersPerAccount: %d", MaxUsersPerAccount)
		}
		if in.PermissionsBoundary != "" {
			if err := requireAttachable(tx, account, in.PermissionsBoundary); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(u); err != nil {
			if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
				return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "User with name %s already exists.", in.UserName)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// User returns a user of the account.
func (s *Service) User(ctx context.Context, account, name string) (*gatehouse.User, error) {
	var u *gatehouse.User
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		u, err = getUser(tx, account, name)
		return err
	})
	return u, err
}

func getUser(tx Tx, account, name string) (*gatehouse.User, error) {
	u, err := tx.User(account, name)
	if gatehouse.ErrorCode(err) == gatehouse.CodeNotFound {
		return nil, gatehouse.Errorf(gatehouse.CodeNotFound, "The user with name %s cannot be found.", name)
	}
	return u, err
}

// updateUser applies change to a user in one transaction; the user keeps
// the name it had when change renames it.
func (s *Service) updateUser(ctx context.Context, account, name string, change func(tx Tx, u *gatehouse.User) error) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		u, err := getUser(tx, account, name)
		if err != nil {
			return err
		}
		oldName := u.Name
		if err := change(tx, u); err != nil {
			return err
		}
		err = tx.UpdateUser(oldName, u)
		if gatehouse.ErrorCode(err) == gatehouse.CodeAlreadyExists {
			return gatehouse.Errorf(gatehouse.CodeAlreadyExists, "User with name %s already exists.", u.Name)
		}
		return err
	})
}

// Users lists the users whose path starts with pathPrefix ("" or "/" for
// all), sorted by name.
func (s *Service) Users(ctx context.Context, account, pathPrefix string) ([]*gatehouse.User, error) {
	var out []*gatehouse.User
	err := s.Store.View(ctx, func(tx Tx) error {
		users, err := tx.Users(account)
		for _, u := range users {
			if strings.HasPrefix(u.Path, orSlash(pathPrefix)) {
				out = append(out, u)
			}
		}
		return err
	})
	return out, err
}

// UpdateUser renames a user or moves it to a new path.
func (s *Service) UpdateUser(ctx context.Context, account, name string, newName, newPath *string) error {
	if newName != nil {
		if err := checkName(*newName, "newUserName", 64); err != nil {
			return err
		}
	}
	if newPath != nil {
		if err := checkPath(*newPath, "newPath"); err != nil {
			return err
		}
	}
	return s.updateUser(ctx, account, name, func(_ Tx, u *gatehouse.User) error {
		if newName != nil {
			u.Name = *newName
		}
		if newPath != nil {
			u.Path = *newPath
		}
		return nil
	})
}

// DeleteUser deletes a user that no longer has credentials, policies or
// group memberships, as AWS requires.
func (s *Service) DeleteUser(ctx context.Context, account, name string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		u, err := getUser(tx, account, name)
		if err != nil {
			return err
		}
		ref := gatehouse.EntityRef{Kind: gatehouse.KindUser, Name: u.Name}
		if _, err := tx.LoginProfile(account, u.Name); err == nil {
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete entity, must delete login profile first.")
		} else if gatehouse.ErrorCode(err) != gatehouse.CodeNotFound {
			return err
		}
		keys, err := tx.AccessKeys(account, u.Name)
		if err != nil {
			return err
		}
		if len(keys) > 0 {
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete entity, must delete access keys first.")
		}
		devices, err := tx.MFADevices(account)
		if err != nil {
			return err
		}
		for _, d := range devices {
			if d.UserName == u.Name {
				return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete entity, must delete MFA device first.")
			}
		}
		if err := checkNoPolicies(tx, account, ref); err != nil {
			return err
		}
		groups, err := tx.GroupsForUser(account, u.Name)
		if err != nil {
			return err
		}
		if len(groups) > 0 {
			return gatehouse.Errorf(gatehouse.CodeDeleteConflict, "Cannot delete entity, must remove user from all groups first.")
		}
		return tx.DeleteUser(account, u.Name)
	})
}

// TagUser adds or replaces tags on a user.
func (s *Service) TagUser(ctx context.Context, account, name string, tags []gatehouse.Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.updateUser(ctx, account, name, func(_ Tx, u *gatehouse.User) error {
		var err error
		u.Tags, err = addTags(u.Tags, tags)
		return err
	})
}

// UntagUser removes tags from a user by key.
func (s *Service) UntagUser(ctx context.Context, account, name string, keys []string) error {
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.updateUser(ctx, account, name, func(_ Tx, u *gatehouse.User) error {
		u.Tags = removeTags(u.Tags, keys)
		return nil
	})
}

// PutUserPermissionsBoundary sets a user's permissions boundary.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, account, name, policyARN string) error {
	return s.updateUser(ctx, account, name, func(tx Tx, u *gatehouse.User) error {
		if err := requireAttachable(tx, account, policyARN); err != nil {
			return err
		}
		u.PermissionsBoundary = policyARN
		return nil
	})
}

// DeleteUserPermissionsBoundary removes a user's permissions boundary.
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, account, name string) error {
	return s.updateUser(ctx, account, name, func(_ Tx, u *gatehouse.User) error {
		u.PermissionsBoundary = ""
		return nil
	})
}
