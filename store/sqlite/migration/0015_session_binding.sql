-- 0015_session_binding: principals are bound to unique IDs. A role's
-- trust_bindings is a JSON object from each IAM user and role ARN its trust
-- policy names to that entity's ID when the policy was written ('{}' for
-- roles written before this migration: gatehouse serve binds them when it
-- starts, iam.Service.BindTrustPolicies). A user session names its user's unique ID (a
-- user deleted and created again under the same name does not inherit the
-- old sessions), root sign-in sessions are told apart from GetSessionToken
-- sessions, and role sessions keep their session tags (a JSON array of
-- [key, value] pairs, like the tags of users and roles).
ALTER TABLE sessions ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN sign_in INTEGER NOT NULL DEFAULT 0 CHECK (sign_in IN (0, 1));
ALTER TABLE sessions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE roles ADD COLUMN trust_bindings TEXT NOT NULL DEFAULT '{}';
-- Audit records say how the caller authenticated: a root console
-- sign-in, and credentials issued with MFA.
ALTER TABLE audit ADD COLUMN sign_in INTEGER NOT NULL DEFAULT 0 CHECK (sign_in IN (0, 1));
ALTER TABLE audit ADD COLUMN mfa INTEGER NOT NULL DEFAULT 0 CHECK (mfa IN (0, 1));
