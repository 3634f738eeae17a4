-- A command's boundary read: one book's whole story OR one reader's (the boundary of
-- LendBookCopyToReader: each item its four types AND the id), the shape of Statements.query() in
-- dcb-postgres, including its condition on the safe mark, which the store's pipeline sets in the
-- transaction's dcb.mark setting and run.sh sets for the session (PGOPTIONS -c dcb.mark=, the
-- highest sequence number when the run started), and a commit token of 0 (none). -M extended,
-- PGOPTIONS plan_cache_mode=force_generic_plan, max_parallel_workers_per_gather=0, as the store
-- sets. Variables (-D): books, readers, book_types, reader_types.
\set b random(0, :books - 1)
\set r random(0, :readers - 1)
SELECT sequence_number, event_type, payload::text, metadata::text, occurred_at, event_id FROM @TABLE@ WHERE ((event_type = ANY(:book_types::text[]) AND payload @> ('{"BookID": "book-' || :b || '"}')::jsonb) OR (event_type = ANY(:reader_types::text[]) AND payload @> ('{"ReaderID": "reader-' || :r || '"}')::jsonb)) AND sequence_number <= current_setting('dcb.mark')::bigint AND current_setting('dcb.mark')::bigint >= 0 ORDER BY sequence_number;
