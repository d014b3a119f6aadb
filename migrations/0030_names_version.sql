-- Names version: each session counts the changes to its saved names, so that every node can cache them.

-- Reads of a session's messages take the names its user saved senders under
-- from a cache per node, kept as of one names_version of the session and
-- started afresh when a read brings another. Every statement that changes a
-- session's contact_names bumps it, in the same transaction, whichever node
-- or role runs it. The table's row-level security (0007) covers the column.
ALTER TABLE wa_sessions ADD COLUMN names_version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION juta_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE wa_sessions SET names_version = names_version + 1
    WHERE id IN (SELECT session_id FROM changed_names);
    RETURN NULL;
END
$$;

CREATE TRIGGER contact_names_inserted AFTER INSERT ON contact_names
    REFERENCING NEW TABLE AS changed_names
    FOR EACH STATEMENT EXECUTE FUNCTION juta_names_changed();
CREATE TRIGGER contact_names_updated AFTER UPDATE ON contact_names
    REFERENCING NEW TABLE AS changed_names
    FOR EACH STATEMENT EXECUTE FUNCTION juta_names_changed();
CREATE TRIGGER contact_names_deleted AFTER DELETE ON contact_names
    REFERENCING OLD TABLE AS changed_names
    FOR EACH STATEMENT EXECUTE FUNCTION juta_names_changed();
