-- The append's conflict check for one book's whole story (BookCopyHistory.wholeStory: its four
-- types AND BookID), the shape of Statements.check() in dcb-postgres: max(sequence_number + 0)
-- over the condition's filter (the + 0 keeps the planner off the primary key). run.sh replaces
-- @TABLE@ and runs it with -M extended and PGOPTIONS plan_cache_mode=force_generic_plan,
-- max_parallel_workers_per_gather=0, as the store sets for filters whose every item has payload
-- predicates. Variables (-D): books, book_types.
\set b random(0, :books - 1)
SELECT coalesce(max(sequence_number + 0), 0) AS found FROM @TABLE@ WHERE (event_type = ANY(:book_types::text[]) AND payload @> ('{"BookID": "book-' || :b || '"}')::jsonb);
