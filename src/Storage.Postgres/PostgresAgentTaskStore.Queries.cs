namespace Storage.Postgres;

public sealed partial class PostgresAgentTaskStore
{
    // One statement per filter combination, so each is planned against its own index; the total comes from the
    // counter rows in the same snapshot as the page. An empty page still returns one row carrying the total.
    private const string ListAllSql = $"""
        SELECT c.total, x.* FROM (SELECT coalesce(sum(n), 0)::bigint AS total FROM agent_task_counts) c
        LEFT JOIN LATERAL (
            SELECT {TaskRows.Columns} FROM agent_tasks
            ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset) x ON true
        ORDER BY x.created_at DESC, x.id DESC
        """;

    private const string ListByStatusSql = $"""
        SELECT c.total, x.* FROM (
            SELECT coalesce(sum(n), 0)::bigint AS total FROM agent_task_counts WHERE status = CAST(@Status AS agent_task_status)) c
        LEFT JOIN LATERAL (
            SELECT {TaskRows.Columns} FROM agent_tasks WHERE status = CAST(@Status AS agent_task_status)
            ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset) x ON true
        ORDER BY x.created_at DESC, x.id DESC
        """;

    private const string ListByTypeSql = $"""
        SELECT c.total, x.* FROM (
            SELECT coalesce(sum(n), 0)::bigint AS total FROM agent_task_counts WHERE task_type = CAST(@TaskType AS agent_task_type)) c
        LEFT JOIN LATERAL (
            SELECT {TaskRows.Columns} FROM agent_tasks WHERE task_type = CAST(@TaskType AS agent_task_type)
            ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset) x ON true
        ORDER BY x.created_at DESC, x.id DESC
        """;

    private const string ListByBothSql = $"""
        SELECT c.total, x.* FROM (
            SELECT coalesce(sum(n), 0)::bigint AS total FROM agent_task_counts
            WHERE status = CAST(@Status AS agent_task_status) AND task_type = CAST(@TaskType AS agent_task_type)) c
        LEFT JOIN LATERAL (
            SELECT {TaskRows.Columns} FROM agent_tasks
            WHERE status = CAST(@Status AS agent_task_status) AND task_type = CAST(@TaskType AS agent_task_type)
            ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset) x ON true
        ORDER BY x.created_at DESC, x.id DESC
        """;

    // Matches the partial index agent_tasks_attention_idx (same predicate, same order).
    private const string AttentionSql = $"""
        SELECT {TaskRows.Columns} FROM agent_tasks
        WHERE status IN ('needs_decision', 'failed')
        ORDER BY updated_at DESC, id DESC
        LIMIT @Limit
        """;

    private const string CountsSql = "SELECT status::text, sum(n)::bigint FROM agent_task_counts GROUP BY status";

    private const string StreamSql = $"SELECT {TaskRows.Columns} FROM agent_tasks WHERE id > @After ORDER BY id LIMIT @Limit";

    private const string StreamFirstSql = $"SELECT {TaskRows.Columns} FROM agent_tasks ORDER BY id LIMIT @Limit";

    internal const string ScanSql = $"SELECT {TaskRows.Columns} FROM agent_tasks ORDER BY id";

    /// <inheritdoc/>
    public async Task<AgentTaskPage> ListTasksAsync(AgentTaskQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var filter = StorageValidation.Normalize(query);
        var sql = (filter.Status, filter.TaskType) switch
        {
            (null, null) => ListAllSql,
            (not null, null) => ListByStatusSql,
            (null, not null) => ListByTypeSql,
            _ => ListByBothSql,
        };
        var parameters = new
        {
            Status = filter.Status is { } status ? StorageNames.Of(status) : null,
            TaskType = filter.TaskType is { } type ? StorageNames.Of(type) : null,
            filter.Limit,
            filter.Offset,
        };
        var rows = await _executor.ListAsync(
            sql,
            parameters,
            r => (Total: r.GetInt64(0), Task: r.IsDBNull(1) ? null : TaskRows.Read(r, 1)),
            cancellationToken);
        return new AgentTaskPage(rows.Where(r => r.Task is not null).Select(r => r.Task!).ToArray(), rows[0].Total);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AgentTask>> ListAttentionTasksAsync(int limit = 50, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = StorageValidation.Limit(limit);
        return await _executor.ListAsync(AttentionSql, new { Limit = count }, TaskRows.Read, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<AgentTaskCounts> CountTasksByStatusAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var rows = await _executor.ListAsync(CountsSql, null, r => (Status: PostgresValues.Status(r.GetString(0)), Count: r.GetInt64(1)), cancellationToken);
        var counts = rows.ToDictionary(r => r.Status, r => r.Count);
        return new AgentTaskCounts(
            counts.GetValueOrDefault(AgentTaskStatus.Pending),
            counts.GetValueOrDefault(AgentTaskStatus.Running),
            counts.GetValueOrDefault(AgentTaskStatus.Completed),
            counts.GetValueOrDefault(AgentTaskStatus.Failed),
            counts.GetValueOrDefault(AgentTaskStatus.NeedsDecision));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Read as one query in id order, its rows read as they arrive, on a connection held until the stream ends or is disposed; when that fails
    /// transiently part-way, the rest is read in id-ordered pages of <see cref="StreamPageSize"/> after the last task
    /// yielded, each retried on its own.
    /// </remarks>
    public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default)
        => _executor.ScanAsync(
            ScanSql,
            StreamPageSize,
            (StreamFirstSql, new { Limit = StreamPageSize }),
            last => (StreamSql, new { After = last.Id, Limit = StreamPageSize }),
            TaskRows.Read,
            cancellationToken);
}
