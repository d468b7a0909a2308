-- 0003: index builds a bulk load (a backfill of empty tables, PostgresBulkLoad) left to run after its commit.
--
-- A bulk load drops a table's secondary indexes while its rows arrive. It commits the rows and, in the same
-- transaction, one row here per index to build again; the indexes are then built several at a time, each on a
-- connection of its own (PostgresIndexBuilds), which one transaction cannot do. A build and the removal of its row
-- commit together, so a load stopped after its commit leaves the unbuilt indexes listed here, and
-- PostgresIndexBuilds.RunPendingAsync (the checker's migrate and repair commands) builds them. Until then the tables
-- answer every query, more slowly.

CREATE TABLE pending_index_builds (
    index_name text COLLATE "C" NOT NULL,
    table_name text COLLATE "C" NOT NULL,
    -- pg_get_indexdef of the dropped index: CREATE INDEX ... ON <schema>.<table> ...
    definition text NOT NULL,
    -- Builds are taken in this order (the load's order: its tables in dependency order, projects, edges, contributors,
    -- assets, contributions, tasks; a table's indexes by name).
    position   integer NOT NULL,
    CONSTRAINT pending_index_builds_pkey PRIMARY KEY (index_name)
);
