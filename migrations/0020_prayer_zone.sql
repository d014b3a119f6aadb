-- Each user's JAKIM prayer-time zone: detection reads "lepas asar" at its prayer times (the codes are checked by the application, juta.LookupPrayerZone).

ALTER TABLE users ADD COLUMN prayer_zone text NOT NULL DEFAULT 'WLY01'
    CHECK (prayer_zone ~ '^[A-Z]{3}[0-9]{2}$');
GRANT SELECT (prayer_zone), UPDATE (prayer_zone) ON users TO juta_app;
