-- 0004: the dependents' index leads with the project's name instead of its ecosystem.
--
-- project_dependencies_to_idx serves one look-up: the edges into one project, found by equality on both of
-- (to_ecosystem, to_name), then in (from_ecosystem, from_name) order (dependents, their count, a project's deletion
-- cascading to the edges into it). Either order of its first two columns serves it. Building the index sorts every
-- edge; with the ecosystem first (a handful of values) PostgreSQL cannot sort on abbreviated keys and compares whole
-- tuples, column by column. With the name first, building it for 2,000,000 edges took 2.8 s instead of 6.4-7.4 s: a
-- backfill (PostgresBulkLoad) builds it again after its commit, and so does a REINDEX.
--
-- The new index is built under a name of its own first, which holds writes to project_dependencies (a SHARE lock) but
-- not reads; the old one is dropped (reads wait from here to the commit, which follows at once) and the new one takes
-- its name. A backfill stopped before building the index leaves it listed in pending_index_builds, with the old
-- definition, and no index of that name: it is then built here with the new one and taken off the list. The old index
-- is looked up in this schema only (the search path also holds public, where another schema's tables may live).

CREATE INDEX project_dependencies_to_by_name_idx ON project_dependencies (to_name, to_ecosystem, from_ecosystem, from_name);

DO $$
BEGIN
    IF to_regclass(format('%I.project_dependencies_to_idx', current_schema())) IS NOT NULL THEN
        EXECUTE format('DROP INDEX %I.project_dependencies_to_idx', current_schema());
    END IF;
END
$$;

ALTER INDEX project_dependencies_to_by_name_idx RENAME TO project_dependencies_to_idx;
DELETE FROM pending_index_builds WHERE index_name = 'project_dependencies_to_idx';
