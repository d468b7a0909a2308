-- 0004: the dependents' index leads with the project's name instead of its ecosystem.
--
-- project_dependencies_to_idx serves one look-up: the edges into one project, found by equality on both of
-- (to_ecosystem, to_name), then in (from_ecosystem, from_name) order (dependents, their count, a project's deletion
-- cascading to the edges into it). Either order of its first two columns serves it. Building the index sorts every
-- edge; with the ecosystem first (a handful of values) PostgreSQL cannot sort on abbreviated keys and compares whole
-- tuples, column by column. With the name first, building it for 2,000,000 edges took 2.8 s instead of 6.4-7.4 s: a
-- backfill (PostgresBulkLoad) builds it again after its commit, and so does a REINDEX.
--
-- A backfill stopped before building the index leaves it listed in pending_index_builds, with the old definition, and
-- no index of that name: this migration builds it with the new one and takes it off the list. Building it holds writes
-- to project_dependencies (a SHARE lock) until the migration commits.

DROP INDEX IF EXISTS project_dependencies_to_idx;
CREATE INDEX project_dependencies_to_idx ON project_dependencies (to_name, to_ecosystem, from_ecosystem, from_name);
DELETE FROM pending_index_builds WHERE index_name = 'project_dependencies_to_idx';
