using Dapper;
using Npgsql;
using static Storage.Postgres.PostgresCommands;

namespace Storage.Postgres;

public sealed partial class PostgresAgentTaskStore
{
    private const string TempSql = """
        CREATE TEMP TABLE import_tasks (
            id text COLLATE "C", direction text, task_type text, status text, model text, command text, output text, context text,
            progress integer, current_step text, decision_prompt text, decision text, tier text, claimed_by text,
            claimed_at timestamptz, started_at timestamptz, created_at timestamptz, updated_at timestamptz) ON COMMIT DROP
        """;

    private const string CopySql = """
        COPY import_tasks (id, direction, task_type, status, model, command, output, context, progress, current_step, decision_prompt,
                           decision, tier, claimed_by, claimed_at, started_at, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    // The merge fires the counter triggers twice (inserted rows, then updated rows), each locking counter rows in
    // order; locking this backend's counter slot up front keeps a concurrent single-statement write from
    // deadlocking with the two phases.
    private const string LockCountersSql = """
        SELECT count(*) FROM (
            SELECT 1 FROM agent_task_counts WHERE slot = pg_backend_pid() % 16 ORDER BY status, task_type FOR UPDATE) locked
        """;

    private const string ConflictSql = """
        ON CONFLICT (id) DO UPDATE SET
            direction = excluded.direction,
            task_type = excluded.task_type,
            status = excluded.status,
            model = excluded.model,
            command = excluded.command,
            output = excluded.output,
            context = excluded.context,
            progress = excluded.progress,
            current_step = excluded.current_step,
            decision_prompt = excluded.decision_prompt,
            decision = excluded.decision,
            tier = excluded.tier,
            claimed_by = excluded.claimed_by,
            claimed_at = excluded.claimed_at,
            started_at = excluded.started_at,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at
        WHERE (t.direction, t.task_type, t.status, t.model, t.command, t.output, t.context::text, t.progress, t.current_step,
               t.decision_prompt, t.decision, t.tier, t.claimed_by, t.claimed_at, t.started_at, t.created_at, t.updated_at)
            IS DISTINCT FROM
              (excluded.direction, excluded.task_type, excluded.status, excluded.model, excluded.command, excluded.output,
               excluded.context::text, excluded.progress, excluded.current_step, excluded.decision_prompt, excluded.decision,
               excluded.tier, excluded.claimed_by, excluded.claimed_at, excluded.started_at, excluded.created_at, excluded.updated_at)
        """;

    // Counters follow through the agent_task_counts_* triggers (inserted and updated rows alike).
    private const string MergeSql = $"""
        INSERT INTO agent_tasks AS t (id, direction, task_type, status, model, command, output, context, progress, current_step,
                                      decision_prompt, decision, tier, claimed_by, claimed_at, started_at, created_at, updated_at)
        SELECT id, direction, CAST(task_type AS agent_task_type), CAST(status AS agent_task_status), model, command, output,
               CAST(context AS json), progress, current_step, decision_prompt, decision, tier, claimed_by, claimed_at, started_at,
               created_at, updated_at
        FROM import_tasks
        {ConflictSql}
        """;

    private const string LastSql = "SELECT id FROM agent_tasks ORDER BY id DESC LIMIT 1";

    // The append path (PostgresImport.AppendAsync); counters follow through the agent_task_counts_insert trigger, which COPY fires too.
    private const string AppendSql = """
        COPY agent_tasks (id, direction, task_type, status, model, command, output, context, progress, current_step, decision_prompt,
                          decision, tier, claimed_by, claimed_at, started_at, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    // One record (the dual-write mirror of a create, update or claim; a repair of one key): no temporary table.
    private const string PutOneSql = $"""
        INSERT INTO agent_tasks AS t (id, direction, task_type, status, model, command, output, context, progress, current_step,
                                      decision_prompt, decision, tier, claimed_by, claimed_at, started_at, created_at, updated_at)
        VALUES (@Id, @Direction, CAST(@TaskType AS agent_task_type), CAST(@Status AS agent_task_status), @Model, @Command, @Output,
                CAST(@Context AS json), @Progress, @CurrentStep, @DecisionPrompt, @Decision, @Tier, @ClaimedBy, @ClaimedAt, @StartedAt,
                @CreatedAt, @UpdatedAt)
        {ConflictSql}
        """;

    /// <inheritdoc/>
    public async Task<int> ImportTasksAsync(IReadOnlyCollection<AgentTask> tasks, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var batch = StorageValidation.Batch(tasks, StorageValidation.Normalize, t => t.Id);
        if (batch.Count == 0)
        {
            return 0;
        }

        if (batch.Count == 1)
        {
            var one = PutOneParameters(batch[0]);
            await _executor.InTransactionAsync(
                async (connection, transaction, ct) =>
                {
                    await connection.ExecuteAsync(Command(LockCountersSql, null, ct, transaction));
                    await connection.ExecuteAsync(Command(PutOneSql, one, ct, transaction));
                },
                cancellationToken);
            return 1;
        }

        var appended = await _executor.TryAppendAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(Command(LockCountersSql, null, ct, transaction));
                return await PostgresImport.AppendAsync(
                    connection, transaction, LastSql, r => r.GetString(0), t => t.Id, StorageOrdering.CompareText, AppendSql, batch, WriteTask, ct);
            },
            cancellationToken);
        if (appended)
        {
            return batch.Count;
        }

        await _executor.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(Command(TempSql, null, ct, transaction));
                await PostgresImport.CopyAsync(connection, CopySql, "ANALYZE import_tasks", batch, WriteTask, ct);
                await connection.ExecuteAsync(Command(LockCountersSql, null, ct, transaction));
                await connection.ExecuteAsync(Command(MergeSql, null, ct, transaction));
            },
            cancellationToken);
        return batch.Count;
    }

    private static object PutOneParameters(AgentTask task) => new
    {
        task.Id,
        task.Direction,
        TaskType = StorageNames.Of(task.TaskType),
        Status = StorageNames.Of(task.Status),
        task.Model,
        task.Command,
        task.Output,
        Context = task.Context.Json,
        task.Progress,
        task.CurrentStep,
        task.DecisionPrompt,
        task.Decision,
        task.Tier,
        task.ClaimedBy,
        task.ClaimedAt,
        task.StartedAt,
        task.CreatedAt,
        task.UpdatedAt,
    };

    private static void WriteTask(PostgresCopyWriter row, AgentTask task, int ordinal)
    {
        row.Text(task.Id);
        row.Text(task.Direction);
        row.Text(StorageNames.Of(task.TaskType));
        row.Text(StorageNames.Of(task.Status));
        row.Text(task.Model);
        row.Text(task.Command);
        row.Text(task.Output);
        row.Text(task.Context.Json);
        row.Integer(task.Progress);
        row.Text(task.CurrentStep);
        row.Text(task.DecisionPrompt);
        row.Text(task.Decision);
        row.Text(task.Tier);
        row.Text(task.ClaimedBy);
        row.Time(task.ClaimedAt);
        row.Time(task.StartedAt);
        row.Time(task.CreatedAt);
        row.Time(task.UpdatedAt);
    }
}
