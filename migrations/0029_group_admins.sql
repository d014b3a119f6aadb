-- Group admins: each group's admins and superadmins (the members not listed are plain members).

-- Addresses as in wa_groups.participants; a participant is in at most one of
-- the two. The table's row-level security (0021) covers the new columns.
ALTER TABLE wa_groups
    ADD COLUMN admins      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN superadmins text[] NOT NULL DEFAULT '{}';
