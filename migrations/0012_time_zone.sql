-- Each user's time zone (an IANA name read by detection, action titles and the assistant) and each session's last connection error in words.

ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Kuala_Lumpur'
    CHECK (time_zone <> '' AND length(time_zone) <= 64);
GRANT SELECT (time_zone), UPDATE (time_zone) ON users TO juta_app;

ALTER TABLE wa_sessions ADD COLUMN last_error text NOT NULL DEFAULT '';
