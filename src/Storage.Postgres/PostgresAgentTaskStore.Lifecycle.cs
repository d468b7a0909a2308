namespace Storage.Postgres;

public sealed partial class PostgresAgentTaskStore
{
    private const string InsertTaskSql = """
        INSERT INTO agent_tasks (id, direction, task_type, status, model, command, output, context, progress,
                                 current_step, decision_prompt, decision, tier, claimed_by, claimed_at, started_at, created_at, updated_at)
        VALUES (@Id, @Direction, CAST(@TaskType AS agent_task_type), 'pending', @Model, @Command, NULL, CAST(@Context AS json), 0,
                NULL, NULL, NULL, @Tier, NULL, NULL, NULL, @Now, @Now)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string GetTaskSql = $"SELECT {TaskRows.Columns} FROM agent_tasks WHERE id = @Id";

    // The in-memory rules as one statement: set fields replace stored ones; a decision on a needs_decision task
    // without a status moves it to running; entering running sets started_at once.
    private const string UpdateTaskSql = $"""
        WITH changed AS (
            UPDATE agent_tasks t SET
                status = n.status,
                output = coalesce(@Output, t.output),
                progress = coalesce(@Progress, t.progress),
                current_step = coalesce(@CurrentStep, t.current_step),
                decision_prompt = coalesce(@DecisionPrompt, t.decision_prompt),
                decision = coalesce(@Decision, t.decision),
                started_at = CASE WHEN n.status = 'running' THEN coalesce(t.started_at, @Now) ELSE t.started_at END,
                updated_at = @Now
            FROM (SELECT id,
                         coalesce(CAST(@Status AS agent_task_status),
                                  CASE WHEN @Decision IS NOT NULL AND status = 'needs_decision' THEN 'running'::agent_task_status ELSE status END) AS status
                  FROM agent_tasks WHERE id = @Id FOR UPDATE) n
            WHERE t.id = n.id
            RETURNING t.*)
        SELECT {TaskRows.Columns} FROM changed
        """;

    private const string ClaimTaskSql = $"""
        WITH claimed AS (
            UPDATE agent_tasks SET
                status = 'running',
                claimed_by = @Worker,
                claimed_at = @Now,
                started_at = coalesce(started_at, @Now),
                updated_at = @Now
            WHERE id = @Id AND status IN ('pending', 'needs_decision')
            RETURNING *)
        SELECT {TaskRows.Columns} FROM claimed
        """;

    /// <inheritdoc/>
    public async Task<AgentTask> CreateTaskAsync(NewAgentTask task, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = StorageValidation.Normalize(task);
        var id = AgentTasks.NewId(fields, _idGenerator);
        var now = Now();
        var created = AgentTasks.Create(fields, id, now);
        var parameters = new
        {
            created.Id,
            created.Direction,
            TaskType = StorageNames.Of(created.TaskType),
            created.Model,
            created.Command,
            Context = created.Context.Json,
            created.Tier,
            Now = now,
        };
        return await _executor.ExecuteOnceAsync(InsertTaskSql, parameters, cancellationToken) == 1
            ? created
            : throw StorageErrors.TaskExists(id);
    }

    /// <inheritdoc/>
    public Task<AgentTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var taskId = StorageValidation.TaskId(id);
        return _executor.FirstOrNullAsync(GetTaskSql, new { Id = taskId }, TaskRows.Read, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<AgentTask> UpdateTaskAsync(string id, AgentTaskUpdate update, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var taskId = StorageValidation.TaskId(id);
        var changes = StorageValidation.Normalize(update);
        var parameters = new
        {
            Id = taskId,
            Status = changes.Status is { } status ? StorageNames.Of(status) : null,
            changes.Output,
            changes.Progress,
            changes.CurrentStep,
            changes.DecisionPrompt,
            changes.Decision,
            Now = Now(),
        };
        return await _executor.FirstOrNullOnceAsync(UpdateTaskSql, parameters, TaskRows.Read, cancellationToken)
            ?? throw StorageErrors.TaskNotFound(taskId);
    }

    /// <inheritdoc/>
    public async Task<AgentTask> ClaimTaskAsync(string id, string workerId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var taskId = StorageValidation.TaskId(id);
        var worker = StorageValidation.WorkerId(workerId);
        var parameters = new { Id = taskId, Worker = worker, Now = Now() };
        while (true)
        {
            // The claim itself is one conditional UPDATE: of concurrent claimers exactly one wins.
            if (await _executor.FirstOrNullOnceAsync(ClaimTaskSql, parameters, TaskRows.Read, cancellationToken) is { } claimed)
            {
                return claimed;
            }

            // Not claimable when the UPDATE ran; explain from the row as it is now.
            var current = await _executor.FirstOrNullAsync(GetTaskSql, new { Id = taskId }, TaskRows.Read, cancellationToken)
                ?? throw StorageErrors.TaskNotFound(taskId);
            switch (current.Status)
            {
                case AgentTaskStatus.Running when current.ClaimedBy == worker:
                    return current;
                case AgentTaskStatus.Running when current.ClaimedBy is not null:
                    throw StorageErrors.ClaimedByAnother(taskId);
                case AgentTaskStatus.Pending or AgentTaskStatus.NeedsDecision:
                    // Became claimable again in between (an update moved it back): claim it now.
                    continue;
                default:
                    throw StorageErrors.NotClaimable(taskId, current.Status);
            }
        }
    }
}
