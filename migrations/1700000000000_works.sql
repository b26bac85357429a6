-- Up Migration

-- The catalogue's records. The store derives every column but `item` in TypeScript
-- (src/catalogue/postgres/derive.ts), as the file store does, so that both stores key, find and
-- search alike; the loader writes rows the same way.
CREATE SEQUENCE catalogue_versions AS bigint;

CREATE TABLE works (
  -- Catalogue order: a work keeps its place when replaced; cursors resume after a seq.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  -- The normalised DOI (lower case, without doi: or a resolver's URL).
  doi text UNIQUE DEFERRABLE INITIALLY DEFERRED,
  -- The BibTeX key, unique and kept while the work's base key stays the same; ASCII, compared
  -- bytewise so that the keys sharing a base are one index range.
  key text COLLATE "C" NOT NULL UNIQUE DEFERRABLE INITIALLY DEFERRED,
  -- The key an explicit citation-key asks for: two records may not ask for the same one.
  asked_key text COLLATE "C" UNIQUE DEFERRABLE INITIALLY DEFERRED,
  type text COLLATE "C" NOT NULL,
  item jsonb NOT NULL,
  -- The record's search tokens (title, abstract, names), folded as the file store folds them.
  search tsvector NOT NULL,
  -- A digest of the record as written: equal records have equal versions, in either store.
  version text NOT NULL,
  -- In milliseconds, as JavaScript dates and the file store keep it, so that ranges compare alike.
  modified timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);
CREATE UNIQUE INDEX works_seq ON works (seq);
CREATE INDEX works_search ON works USING gin (search);
CREATE INDEX works_type_seq ON works (type, seq);
CREATE INDEX works_modified ON works (modified);

-- The catalogue as a whole, kept by the statement triggers below so that reading it costs one row.
CREATE TABLE catalogue_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  works bigint NOT NULL,
  version bigint NOT NULL,
  modified timestamptz NOT NULL
);
INSERT INTO catalogue_state (works, version, modified) VALUES (0, nextval('catalogue_versions'), date_trunc('milliseconds', now()));

-- DOIs and keys are unique when a transaction commits, not after each of its statements: a write
-- may move a DOI or key from one work to another.

-- Every committed change of works, whoever makes it, notifies the replicas on channel citeserve_works:
-- the ids changed (or all, for large statements, which the payload limit would not hold) and the
-- catalogue's new version. NOTIFY is delivered at commit, and not at all on rollback.
CREATE FUNCTION works_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
  added bigint := 0;
  ids jsonb;
  state catalogue_state;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT count(*), count(*) FROM new_rows INTO changed, added;
    IF changed <= 100 THEN SELECT jsonb_agg(id) FROM new_rows INTO ids; END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT count(*) FROM new_rows INTO changed;
    IF changed <= 100 THEN
      SELECT jsonb_agg(id) FROM (SELECT id FROM new_rows UNION SELECT id FROM old_rows) AS both_sides INTO ids;
    END IF;
  ELSE
    SELECT count(*), -count(*) FROM old_rows INTO changed, added;
    IF changed <= 100 THEN SELECT jsonb_agg(id) FROM old_rows INTO ids; END IF;
  END IF;
  IF changed = 0 THEN RETURN NULL; END IF;
  UPDATE catalogue_state
     SET works = catalogue_state.works + added, version = nextval('catalogue_versions'), modified = date_trunc('milliseconds', now())
   RETURNING * INTO state;
  PERFORM pg_notify('citeserve_works', jsonb_build_object('version', state.version::text, 'ids', ids)::text);
  RETURN NULL;
END
$$;

CREATE FUNCTION works_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  state catalogue_state;
BEGIN
  UPDATE catalogue_state SET works = 0, version = nextval('catalogue_versions'), modified = date_trunc('milliseconds', now()) RETURNING * INTO state;
  PERFORM pg_notify('citeserve_works', jsonb_build_object('version', state.version::text, 'ids', NULL)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER works_inserted AFTER INSERT ON works REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION works_changed();
CREATE TRIGGER works_updated AFTER UPDATE ON works REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION works_changed();
CREATE TRIGGER works_deleted AFTER DELETE ON works REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION works_changed();
CREATE TRIGGER works_truncated AFTER TRUNCATE ON works
  FOR EACH STATEMENT EXECUTE FUNCTION works_truncated();

-- Down Migration
DROP TABLE works;
DROP TABLE catalogue_state;
DROP FUNCTION works_changed();
DROP FUNCTION works_truncated();
DROP SEQUENCE catalogue_versions;
