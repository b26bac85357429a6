-- Up Migration

-- How many works hold each word, as relevance weighs words (src/catalogue/postgres/score.ts): a word is
-- held when it is a lexeme of `search` (title, abstract, names) or a token of the container, year,
-- volume, issue or page in `fields`. Counting a common word in `works` visits every row that holds it;
-- here it is one row, kept exact by the triggers below in the transaction of each change.
CREATE TABLE word_counts (
  word text COLLATE "C" PRIMARY KEY,
  works bigint NOT NULL
);

-- The words of a row, each once (joining two tsvectors merges their lexemes).
CREATE FUNCTION work_words(search tsvector, fields tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT tsvector_to_array(search || array_to_tsvector(ARRAY(
    SELECT substr(lexeme, 3) FROM unnest(tsvector_to_array(fields)) AS lexeme
     WHERE left(lexeme, 2) IN ('c:', 'y:', 'v:', 'i:', 'p:'))))
$$;

-- Adds the words of the rows a statement wrote and takes away those of the rows it replaced or
-- deleted. The triggers are named to fire after works_inserted/updated/deleted, which take the
-- catalogue_state row: writers reach their words one at a time, so they never wait on each other here.
-- The bulk loader (src/catalogue/postgres/load-works.ts) counts the words of what it adds itself and
-- adds the counts in a few statements, which is quicker than a count per batch: it sets
-- citeserve.words_counted_by_loader for its transaction meanwhile.
CREATE FUNCTION word_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sides text[] := '{}';
  emptied text[];
BEGIN
  IF current_setting('citeserve.words_counted_by_loader', true) = 'on' THEN RETURN NULL; END IF;
  -- Dynamic SQL, as each event has only some of the transition tables.
  IF TG_OP IN ('INSERT', 'UPDATE') THEN sides := sides || 'SELECT search, fields, 1 AS change FROM new_rows'::text; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN sides := sides || 'SELECT search, fields, -1 AS change FROM old_rows'::text; END IF;
  -- Words a change leaves in no work are deleted by their key, found in what the upsert returns.
  EXECUTE format(
    'WITH upserted AS (
       INSERT INTO word_counts AS counted (word, works)
       SELECT word, sum(change) FROM (%s) AS changed, unnest(work_words(changed.search, changed.fields)) AS word
        GROUP BY word HAVING sum(change) <> 0 ORDER BY word
       ON CONFLICT (word) DO UPDATE SET works = counted.works + excluded.works
       RETURNING counted.word, counted.works)
     SELECT array_agg(word) FILTER (WHERE works <= 0) FROM upserted',
    array_to_string(sides, ' UNION ALL ')) INTO emptied;
  IF emptied IS NOT NULL THEN DELETE FROM word_counts WHERE word = ANY(emptied); END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION word_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE word_counts;
  RETURN NULL;
END
$$;

-- No write may slip between the counting and the triggers.
LOCK TABLE works IN SHARE MODE;
INSERT INTO word_counts (word, works)
SELECT word, count(*) FROM works, unnest(work_words(works.search, works.fields)) AS word GROUP BY word;

CREATE TRIGGER works_words_inserted AFTER INSERT ON works REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION word_counts_changed();
CREATE TRIGGER works_words_updated AFTER UPDATE ON works REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION word_counts_changed();
CREATE TRIGGER works_words_deleted AFTER DELETE ON works REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION word_counts_changed();
CREATE TRIGGER works_words_truncated AFTER TRUNCATE ON works
  FOR EACH STATEMENT EXECUTE FUNCTION word_counts_truncated();

-- Down Migration
DROP TRIGGER works_words_inserted ON works;
DROP TRIGGER works_words_updated ON works;
DROP TRIGGER works_words_deleted ON works;
DROP TRIGGER works_words_truncated ON works;
DROP FUNCTION word_counts_changed();
DROP FUNCTION word_counts_truncated();
DROP FUNCTION work_words(tsvector, tsvector);
DROP TABLE word_counts;
