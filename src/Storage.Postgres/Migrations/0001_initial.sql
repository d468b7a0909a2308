-- 0001: the graph (projects, dependency edges, contributors, assets, contributions) and agent tasks.
--
-- Run by PostgresMigrator inside one transaction with search_path = <target schema>, <pg_trgm's schema>.
-- Rules the .NET stores rely on (see docs/contracts.md):
--   * No column has a default that invents a value: ids, times and derived start values come from .NET.
--   * Text that takes part in ordering or keys is COLLATE "C" (code-point order, StorageOrdering.Text).
--   * Case folding and trimming happen in .NET (StorageText.Fold). The key CHECKs below use lower(x COLLATE "C"),
--     which lower-cases ASCII A-Z only, whatever the database locale; text folded by ToLowerInvariant never holds
--     A-Z, so the check can only reject rows written around the .NET validation.
--   * JSON (metadata, context) is type json, which keeps the canonical text exactly as written (jsonb would not).
--   * Trigger functions pin their search_path (SET search_path FROM CURRENT: this schema, then pg_trgm's), so they
--     touch this schema's tables whatever the session's search path.
--   * projects and agent_tasks have no CHECK (updated_at >= created_at): their updates stamp "now", and the in-memory
--     store accepts a clock that moved back, so this schema must too. Contributors and assets are never updated
--     except by imports, which validate the pair.

CREATE TYPE asset_type AS ENUM ('code', 'model', 'content', 'data');
CREATE TYPE agent_task_type AS ENUM ('spec', 'test', 'impl', 'review', 'heal');
CREATE TYPE agent_task_status AS ENUM ('pending', 'running', 'completed', 'failed', 'needs_decision');

-- Projects ------------------------------------------------------------------------------------------------

CREATE TABLE projects (
    ecosystem          text COLLATE "C" NOT NULL,
    name               text COLLATE "C" NOT NULL,
    version            text,
    description        text,
    -- StorageText.Fold(description), written by .NET: the searchable copy (the database never folds).
    description_folded text COLLATE "C",
    homepage_url       text,
    repository_url     text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CONSTRAINT projects_pkey PRIMARY KEY (ecosystem, name),
    CONSTRAINT projects_ecosystem_check CHECK (ecosystem <> '' AND ecosystem = lower(ecosystem COLLATE "C")),
    CONSTRAINT projects_name_check CHECK (name <> '' AND name = lower(name COLLATE "C")),
    CONSTRAINT projects_description_folded_check CHECK ((description IS NULL) = (description_folded IS NULL))
);

-- Search: name LIKE '%text%' OR description_folded LIKE '%text%' (escaped pattern); trigram indexes serve
-- both sides, LIKE rechecks every candidate byte for byte, so matches equal StorageText.FoldedContains.
CREATE INDEX projects_name_trgm_idx ON projects USING gin (name gin_trgm_ops);
CREATE INDEX projects_description_trgm_idx ON projects USING gin (description_folded gin_trgm_ops);

CREATE TABLE project_dependencies (
    from_ecosystem text COLLATE "C" NOT NULL,
    from_name      text COLLATE "C" NOT NULL,
    to_ecosystem   text COLLATE "C" NOT NULL,
    to_name        text COLLATE "C" NOT NULL,
    CONSTRAINT project_dependencies_pkey PRIMARY KEY (from_ecosystem, from_name, to_ecosystem, to_name),
    CONSTRAINT project_dependencies_from_fkey FOREIGN KEY (from_ecosystem, from_name)
        REFERENCES projects (ecosystem, name) ON DELETE CASCADE,
    CONSTRAINT project_dependencies_to_fkey FOREIGN KEY (to_ecosystem, to_name)
        REFERENCES projects (ecosystem, name) ON DELETE CASCADE,
    CONSTRAINT project_dependencies_self_check CHECK ((from_ecosystem, from_name) <> (to_ecosystem, to_name))
);

CREATE INDEX project_dependencies_to_idx ON project_dependencies (to_ecosystem, to_name, from_ecosystem, from_name);

-- Contributors, assets, contributions ---------------------------------------------------------------------

CREATE TABLE contributors (
    id              uuid NOT NULL,
    name            text NOT NULL,
    email           text COLLATE "C",
    github_username text,
    wallet_address  text,
    metadata        json NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT contributors_pkey PRIMARY KEY (id),
    CONSTRAINT contributors_email_key UNIQUE (email),
    CONSTRAINT contributors_name_check CHECK (name <> ''),
    CONSTRAINT contributors_email_check CHECK (email <> '' AND email = lower(email COLLATE "C")),
    CONSTRAINT contributors_metadata_check CHECK (json_typeof(metadata) = 'object'),
    CONSTRAINT contributors_times_check CHECK (updated_at >= created_at)
);

CREATE INDEX contributors_created_idx ON contributors (created_at, id);

CREATE TABLE assets (
    id          uuid NOT NULL,
    name        text NOT NULL,
    description text,
    asset_type  asset_type NOT NULL,
    -- Derived: the sum of the asset's contributions, kept by the contributions_total_cost_* triggers.
    total_cost  numeric(28, 2) NOT NULL,
    metadata    json NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT assets_pkey PRIMARY KEY (id),
    CONSTRAINT assets_name_check CHECK (name <> ''),
    CONSTRAINT assets_total_cost_check CHECK (total_cost >= 0),
    CONSTRAINT assets_metadata_check CHECK (json_typeof(metadata) = 'object'),
    CONSTRAINT assets_times_check CHECK (updated_at >= created_at)
);

CREATE INDEX assets_created_idx ON assets (created_at, id);

CREATE TABLE contributions (
    id              uuid NOT NULL,
    contributor_id  uuid NOT NULL,
    asset_id        uuid NOT NULL,
    cost_amount     numeric(14, 2) NOT NULL,
    coherence_score numeric(3, 2) NOT NULL,
    metadata        json NOT NULL,
    created_at      timestamptz NOT NULL,
    CONSTRAINT contributions_pkey PRIMARY KEY (id),
    CONSTRAINT contributions_contributor_fkey FOREIGN KEY (contributor_id) REFERENCES contributors (id) ON DELETE CASCADE,
    CONSTRAINT contributions_asset_fkey FOREIGN KEY (asset_id) REFERENCES assets (id) ON DELETE CASCADE,
    CONSTRAINT contributions_cost_amount_check CHECK (cost_amount >= 0),
    CONSTRAINT contributions_coherence_score_check CHECK (coherence_score BETWEEN 0 AND 1),
    CONSTRAINT contributions_metadata_check CHECK (json_typeof(metadata) = 'object')
);

CREATE INDEX contributions_created_idx ON contributions (created_at, id);
CREATE INDEX contributions_asset_created_idx ON contributions (asset_id, created_at, id);
CREATE INDEX contributions_contributor_created_idx ON contributions (contributor_id, created_at, id);

-- assets.total_cost follows contributions. Statement-level triggers with transition tables add one delta per
-- asset and statement. The asset rows are locked in id order first, so concurrent statements touching the same
-- assets queue instead of deadlocking; the UPDATE then re-reads the latest committed total (READ COMMITTED
-- re-evaluates a row that changed while it waited), so concurrent inserts never lose an amount.
CREATE FUNCTION contributions_apply_total_cost(asset_ids uuid[], amounts numeric[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM 1 FROM assets WHERE id = ANY (asset_ids) ORDER BY id FOR NO KEY UPDATE;
    UPDATE assets a
       SET total_cost = a.total_cost + d.amount
      FROM unnest(asset_ids, amounts) AS d(asset_id, amount)
     WHERE a.id = d.asset_id;
END;
$$;

CREATE FUNCTION contributions_total_cost_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM contributions_apply_total_cost(array_agg(asset_id), array_agg(amount))
       FROM (SELECT asset_id, sum(cost_amount) AS amount FROM new_rows GROUP BY asset_id) d
     HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION contributions_total_cost_update() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM contributions_apply_total_cost(array_agg(asset_id), array_agg(amount))
       FROM (SELECT asset_id, sum(amount) AS amount
               FROM (SELECT asset_id, cost_amount AS amount FROM new_rows
                     UNION ALL
                     SELECT asset_id, -cost_amount FROM old_rows) changes
              GROUP BY asset_id
             HAVING sum(amount) <> 0) d
     HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION contributions_total_cost_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM contributions_apply_total_cost(array_agg(asset_id), array_agg(amount))
       FROM (SELECT asset_id, -sum(cost_amount) AS amount FROM old_rows GROUP BY asset_id) d
     HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER contributions_total_cost_insert AFTER INSERT ON contributions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contributions_total_cost_insert();
CREATE TRIGGER contributions_total_cost_update AFTER UPDATE ON contributions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contributions_total_cost_update();
CREATE TRIGGER contributions_total_cost_delete AFTER DELETE ON contributions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION contributions_total_cost_delete();

-- Agent tasks ---------------------------------------------------------------------------------------------

CREATE TABLE agent_tasks (
    id              text COLLATE "C" NOT NULL,
    direction       text NOT NULL,
    task_type       agent_task_type NOT NULL,
    status          agent_task_status NOT NULL,
    model           text,
    command         text,
    output          text,
    context         json NOT NULL,
    progress        integer NOT NULL,
    current_step    text,
    decision_prompt text,
    decision        text,
    tier            text,
    claimed_by      text,
    claimed_at      timestamptz,
    started_at      timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT agent_tasks_pkey PRIMARY KEY (id),
    CONSTRAINT agent_tasks_id_check CHECK (id <> ''),
    CONSTRAINT agent_tasks_direction_check CHECK (direction <> ''),
    CONSTRAINT agent_tasks_progress_check CHECK (progress BETWEEN 0 AND 100),
    CONSTRAINT agent_tasks_context_check CHECK (json_typeof(context) = 'object'),
    CONSTRAINT agent_tasks_claim_check CHECK ((claimed_by IS NULL) = (claimed_at IS NULL))
);

-- Newest first (created_at DESC, id DESC), unfiltered and by each filter combination.
CREATE INDEX agent_tasks_created_idx ON agent_tasks (created_at DESC, id DESC);
CREATE INDEX agent_tasks_status_created_idx ON agent_tasks (status, created_at DESC, id DESC);
CREATE INDEX agent_tasks_type_created_idx ON agent_tasks (task_type, created_at DESC, id DESC);
CREATE INDEX agent_tasks_status_type_created_idx ON agent_tasks (status, task_type, created_at DESC, id DESC);

-- The attention list: tasks waiting for a human, most recently updated first.
CREATE INDEX agent_tasks_attention_idx ON agent_tasks (updated_at DESC, id DESC)
    WHERE status IN ('needs_decision', 'failed');
