-- Up Migration

-- The rows the backfill must derive again (those below DERIVATION in src/catalogue/postgres/query-columns.ts):
-- every start looks for them, and without this index the look is a pass over every work. The index
-- holds only such rows, so it is empty and costs writes nothing once the backfill is done. A new
-- derivation replaces it with the index of its own number.
CREATE INDEX works_underived ON works (seq) WHERE derived < 1;

-- Down Migration
DROP INDEX works_underived;
