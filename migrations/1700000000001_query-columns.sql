-- Up Migration

-- What Crossref's query language reads of a record, derived in TypeScript (src/catalogue/postgres/derive.ts)
-- by the same function as the file store's columns (workFacts), so that both stores filter, sort and
-- facet alike. Rows written before these columns existed are derived by the backfill that runs after
-- the migrations (src/catalogue/postgres/backfill.ts): `derived` says which derivation a row has.
ALTER TABLE works
  ADD COLUMN derived smallint NOT NULL DEFAULT 0,
  -- Field-qualified tokens: 'x:token' for the field x of each token (t title, with its positions in the
  -- title for phrases, a author, e editor, o other names, c container, y year, v volume, i issue, p page).
  ADD COLUMN fields tsvector,
  -- The issued date as yyyymmdd (a missing month or day counts as the first); -999999999 without one.
  ADD COLUMN published integer,
  -- The title folded as titles sort, compared bytewise as the file store compares it.
  ADD COLUMN title_key text COLLATE "C",
  ADD COLUMN container_key text COLLATE "C",
  ADD COLUMN container_title text,
  ADD COLUMN language text COLLATE "C",
  ADD COLUMN prefix text,
  ADD COLUMN issns text[],
  ADD COLUMN isbns text[],
  ADD COLUMN has_abstract boolean;

CREATE INDEX works_fields ON works USING gin (fields);
CREATE INDEX works_published_seq ON works (published, seq);
CREATE INDEX works_published_desc_seq ON works (published DESC, seq);
CREATE INDEX works_title_key_seq ON works (title_key, seq);
CREATE INDEX works_title_key_desc_seq ON works (title_key DESC, seq);
CREATE INDEX works_modified_seq ON works (modified, seq);
CREATE INDEX works_modified_desc_seq ON works (modified DESC, seq);
-- Filters and facets over many works read this index alone (after VACUUM), not the wide rows.
CREATE INDEX works_facts ON works (type, published) INCLUDE (container_key, language);
CREATE INDEX works_container_key_seq ON works (container_key, seq);
CREATE INDEX works_language ON works (language);
CREATE INDEX works_prefix ON works (prefix);
CREATE INDEX works_issns ON works USING gin (issns);
CREATE INDEX works_isbns ON works USING gin (isbns);
DROP INDEX works_modified;

-- Down Migration
CREATE INDEX works_modified ON works (modified);
ALTER TABLE works
  DROP COLUMN derived,
  DROP COLUMN fields,
  DROP COLUMN published,
  DROP COLUMN title_key,
  DROP COLUMN container_key,
  DROP COLUMN container_title,
  DROP COLUMN language,
  DROP COLUMN prefix,
  DROP COLUMN issns,
  DROP COLUMN isbns,
  DROP COLUMN has_abstract;
