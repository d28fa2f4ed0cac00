-- 0011_session_role_id: a role session remembers the unique ID of its
-- role, so that a role deleted and created again under the same name does
-- not inherit the old role's sessions (AWS ties sessions to the role ID).
-- Sessions issued before this migration have an empty role_id.
ALTER TABLE sessions ADD COLUMN role_id TEXT NOT NULL DEFAULT '';
