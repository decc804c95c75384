-- Sessions can be locked (inactivity on a shared desk, or the user's own "Lås"): the session
-- and the screen behind it stay, but no api call runs until the same user unlocks it.
ALTER TABLE sessions ADD COLUMN locked_at INTEGER;
CREATE INDEX sessions_by_user ON sessions(user_id, ended_at);
