-- 0015_session_binding: a user session names its user's unique ID (a
-- user deleted and created again under the same name does not inherit the
-- old sessions), root sign-in sessions are told apart from GetSessionToken
-- sessions, and role sessions keep their session tags (a JSON array of
-- [key, value] pairs, like the tags of users and roles).
ALTER TABLE sessions ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN sign_in INTEGER NOT NULL DEFAULT 0 CHECK (sign_in IN (0, 1));
ALTER TABLE sessions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
