-- Each user's country (ISO 3166-1 alpha-2): detection reads holiday names as that country means them (the codes are checked by the application, juta.LookupCountry).

ALTER TABLE users ADD COLUMN country text NOT NULL DEFAULT 'MY'
    CHECK (country ~ '^[A-Z]{2}$');
GRANT SELECT (country), UPDATE (country) ON users TO juta_app;
