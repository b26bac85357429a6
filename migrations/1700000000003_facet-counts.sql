-- Up Migration

-- The year a work's issued date falls in (the `published` facet), rounded down: years before the common
-- era are negative. Null for works without a date (published is -999999999) or not derived yet.
CREATE FUNCTION published_year(published integer) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN published >= 0 THEN published / 10000 WHEN published <> -999999999 THEN (published - 9999) / 10000 END $$;

-- How many works there are of each combination of what facets count and cheap filters read, exact at
-- every commit: a facet or total over such filters sums these rows instead of reading every work
-- (src/catalogue/postgres/facet-counts.ts). A combination no work has any more has no row.
CREATE TABLE work_facet_counts (
  type text COLLATE "C" NOT NULL,
  year integer,
  container_key text COLLATE "C",
  language text COLLATE "C",
  has_abstract boolean,
  has_doi boolean NOT NULL,
  -- Negative only in a change about to be added (a CHECK would refuse those too).
  works bigint NOT NULL
);
-- Works without a year, container or language are counted in one row per combination, not one each.
CREATE UNIQUE INDEX work_facet_counts_key ON work_facet_counts (type, year, container_key, language, has_abstract, has_doi) NULLS NOT DISTINCT;
-- Finds the rows a change emptied without reading the others.
CREATE INDEX work_facet_counts_emptied ON work_facet_counts (type) WHERE works = 0;

-- Adds each statement's changes of works to the counts: +1 for each row as it is now, -1 as it was. The
-- triggers below are named so that they fire after those of catalogue_state (same event, name order),
-- whose row lock already serialises writers: no two writers ever wait for each other here. The rows are
-- still written in key order.
CREATE FUNCTION work_facet_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  sides text[] := '{}';
BEGIN
  -- Dynamic SQL, as each event has only some of the transition tables.
  IF TG_OP IN ('INSERT', 'UPDATE') THEN sides := sides || 'SELECT new_rows.*, 1 AS change FROM new_rows'::text; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN sides := sides || 'SELECT old_rows.*, -1 AS change FROM old_rows'::text; END IF;
  EXECUTE format(
    'INSERT INTO work_facet_counts AS counted (type, year, container_key, language, has_abstract, has_doi, works)
     SELECT type, published_year(published), container_key, language, has_abstract, doi IS NOT NULL, sum(change)
       FROM (%s) AS changed
      GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
     ON CONFLICT (type, year, container_key, language, has_abstract, has_doi) DO UPDATE SET works = counted.works + excluded.works',
    array_to_string(sides, ' UNION ALL '));
  DELETE FROM work_facet_counts WHERE works = 0;
  RETURN NULL;
END
$body$;

CREATE FUNCTION work_facet_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  DELETE FROM work_facet_counts;
  RETURN NULL;
END
$body$;

-- No write may slip between the counting and the triggers.
LOCK TABLE works IN SHARE MODE;
INSERT INTO work_facet_counts (type, year, container_key, language, has_abstract, has_doi, works)
SELECT type, published_year(published), container_key, language, has_abstract, doi IS NOT NULL, count(*)
  FROM works GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER works_inserted_facet_counts AFTER INSERT ON works REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION work_facet_counts_changed();
CREATE TRIGGER works_updated_facet_counts AFTER UPDATE ON works REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION work_facet_counts_changed();
CREATE TRIGGER works_deleted_facet_counts AFTER DELETE ON works REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION work_facet_counts_changed();
CREATE TRIGGER works_truncated_facet_counts AFTER TRUNCATE ON works
  FOR EACH STATEMENT EXECUTE FUNCTION work_facet_counts_truncated();

-- Down Migration
DROP TRIGGER works_inserted_facet_counts ON works;
DROP TRIGGER works_updated_facet_counts ON works;
DROP TRIGGER works_deleted_facet_counts ON works;
DROP TRIGGER works_truncated_facet_counts ON works;
DROP FUNCTION work_facet_counts_changed();
DROP FUNCTION work_facet_counts_truncated();
DROP TABLE work_facet_counts;
DROP FUNCTION published_year(integer);
