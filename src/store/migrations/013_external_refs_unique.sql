-- Version 13: an external number is imported once. The unique index on
-- (system, number) is created by code (see store::migrations::external_refs_unique):
-- a database that already holds duplicates (two imports of one file raced
-- before this version) keeps them, outside the index, and gets no new ones.
SELECT 1;
