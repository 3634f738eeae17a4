-- Least privilege: an owner role that creates (and migrates) the schema, and an application role
-- that can only read and append events and keep snapshots. The database refuses UPDATE, DELETE and
-- TRUNCATE of events to the application role; the append-only trigger refuses them to everyone.
-- Tested by LeastPrivilegeTest (dcb-postgres). The names below are the store's defaults (tables
-- events and event_snapshots); change them with the store's configuration.
--
--   psql -v ON_ERROR_STOP=1 -f ops/sql/roles.sql   (as a superuser, once per database)

CREATE ROLE dcb_owner LOGIN;          -- set a password: ALTER ROLE dcb_owner PASSWORD '...'
CREATE ROLE dcb_app LOGIN;            -- likewise
GRANT CREATE ON SCHEMA public TO dcb_owner;
GRANT USAGE ON SCHEMA public TO dcb_app;

-- Then start the store once as dcb_owner (createSchema = true, the default), or run
-- dcb-postgres/src/main/resources/io/dcbstore/postgres/schema.sql with ${events} and
-- ${snapshots} replaced, as dcb_owner. Then, as dcb_owner:
--
--   GRANT SELECT, INSERT ON events TO dcb_app;
--   GRANT USAGE ON SEQUENCE events_sequence_number_seq TO dcb_app;   -- sequence numbers
--   GRANT SELECT, INSERT, UPDATE, DELETE ON event_snapshots TO dcb_app;
--
-- and run the application as dcb_app with createSchema = false (the store then only checks
-- that the schema is there and of its version). Functions (the safe mark, the pipeline guards)
-- are executable by PUBLIC, PostgreSQL's default.
