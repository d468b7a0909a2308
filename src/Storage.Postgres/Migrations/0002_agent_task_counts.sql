-- 0002: exact task counts without counting rows.
--
-- CountTasksByStatusAsync and the totals of ListTasksAsync read agent_task_counts, a few hundred rows, instead of
-- counting agent_tasks (a COUNT(*) over one status of a million tasks takes tens of milliseconds; the sum of its
-- counter rows well under one). Every write to agent_tasks adjusts the counters in the same transaction, so a
-- reader sees counts that match the rows of its snapshot exactly.
--
-- Each (status, task_type) pair has 16 slots; a statement adjusts the slot of its backend (pg_backend_pid() % 16),
-- so concurrent writers (creates, claims) rarely wait on the same counter row. A slot may go negative (a task
-- counted in one slot, removed through another); only the sum per pair is meaningful. A statement locks its counter
-- rows in (status, task_type) order, so two statements cannot deadlock on them.

CREATE TABLE agent_task_counts (
    status    agent_task_status NOT NULL,
    task_type agent_task_type NOT NULL,
    slot      smallint NOT NULL,
    n         bigint NOT NULL,
    CONSTRAINT agent_task_counts_pkey PRIMARY KEY (status, task_type, slot),
    CONSTRAINT agent_task_counts_slot_check CHECK (slot BETWEEN 0 AND 15)
);

INSERT INTO agent_task_counts (status, task_type, slot, n)
SELECT s.status, t.task_type, slot.slot, 0
  FROM unnest(enum_range(NULL::agent_task_status)) AS s(status)
 CROSS JOIN unnest(enum_range(NULL::agent_task_type)) AS t(task_type)
 CROSS JOIN generate_series(0, 15) AS slot(slot);

-- Tasks that existed before this migration are counted in slot 0.
UPDATE agent_task_counts c
   SET n = existing.n
  FROM (SELECT status, task_type, count(*) AS n FROM agent_tasks GROUP BY status, task_type) existing
 WHERE c.status = existing.status AND c.task_type = existing.task_type AND c.slot = 0;

CREATE FUNCTION agent_task_counts_apply(statuses agent_task_status[], task_types agent_task_type[], deltas bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    change record;
BEGIN
    FOR change IN
        SELECT d.status, d.task_type, d.delta
          FROM unnest(statuses, task_types, deltas) AS d(status, task_type, delta)
         ORDER BY d.status, d.task_type
    LOOP
        UPDATE agent_task_counts
           SET n = n + change.delta
         WHERE status = change.status AND task_type = change.task_type AND slot = pg_backend_pid() % 16;
    END LOOP;
END;
$$;

CREATE FUNCTION agent_task_counts_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM agent_task_counts_apply(array_agg(status), array_agg(task_type), array_agg(delta))
       FROM (SELECT status, task_type, count(*) AS delta FROM new_rows GROUP BY status, task_type) d
     HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION agent_task_counts_update() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM agent_task_counts_apply(array_agg(status), array_agg(task_type), array_agg(delta))
       FROM (SELECT status, task_type, sum(delta)::bigint AS delta
               FROM (SELECT status, task_type, 1 AS delta FROM new_rows
                     UNION ALL
                     SELECT status, task_type, -1 FROM old_rows) changes
              GROUP BY status, task_type
             HAVING sum(delta) <> 0) d
     HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION agent_task_counts_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM agent_task_counts_apply(array_agg(status), array_agg(task_type), array_agg(delta))
       FROM (SELECT status, task_type, -count(*) AS delta FROM old_rows GROUP BY status, task_type) d
     HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE FUNCTION agent_task_counts_truncate() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE agent_task_counts SET n = 0 WHERE n <> 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER agent_task_counts_insert AFTER INSERT ON agent_tasks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_task_counts_insert();
CREATE TRIGGER agent_task_counts_update AFTER UPDATE ON agent_tasks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_task_counts_update();
CREATE TRIGGER agent_task_counts_delete AFTER DELETE ON agent_tasks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION agent_task_counts_delete();
CREATE TRIGGER agent_task_counts_truncate AFTER TRUNCATE ON agent_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION agent_task_counts_truncate();
