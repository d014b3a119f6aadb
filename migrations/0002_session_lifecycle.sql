-- Sessions can be stopped by their user ("stopped": offline, keys kept).
ALTER TABLE wa_sessions DROP CONSTRAINT wa_sessions_state_check;
ALTER TABLE wa_sessions ADD CONSTRAINT wa_sessions_state_check
    CHECK (state IN ('new', 'qr', 'pairing', 'connected', 'disconnected', 'logged_out', 'failed', 'stopped'));
