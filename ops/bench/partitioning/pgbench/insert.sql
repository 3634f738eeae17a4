-- The insert of one new event: a new book copy (a fresh id) lent to an existing reader, with an
-- event id (the library's commands give every event one, so the partial unique index on event_id
-- is maintained too) and the library's metadata keys. The sequence number comes from the table's
-- own identity. One round trip (a pipeline, as the store sends its append): BEGIN, the INSERT,
-- then @END@, which run.sh replaces with ROLLBACK (the default: the store's log is left as it
-- was) or COMMIT (--insert-commit). The store's id lock and its conflict check are left out: the
-- check is measured on its own (check.sql), and the lock is the same for both tables.
-- Variables (-D): readers.
\set r random(0, :readers - 1)
\startpipeline
BEGIN;
INSERT INTO @TABLE@ (occurred_at, event_type, payload, metadata, event_id) VALUES (now(), 'BookCopyLentToReader', jsonb_build_object('BookID', 'book-new-' || gen_random_uuid(), 'ReaderID', 'reader-' || :r), jsonb_build_object('MessageID', md5(random()::text), 'CausationID', md5(random()::text), 'CorrelationID', md5(random()::text)), gen_random_uuid());
@END@;
\endpipeline
