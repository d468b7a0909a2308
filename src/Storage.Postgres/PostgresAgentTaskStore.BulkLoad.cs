namespace Storage.Postgres;

/// <summary>The bulk load of an empty task table (<see cref="PostgresBulkLoad{T}"/>): a backfill's fast path.</summary>
public sealed partial class PostgresAgentTaskStore
{
    private static readonly PostgresBulkLoadTable<AgentTask> TasksTable = new(
        "agent_tasks", AppendSql, StorageValidation.Normalize, static (row, t, ct) => WriteTaskAsync(row, t, 0, ct), BeforeCopySql: LockCountersSql);

    /// <summary>Starts a bulk load of the agent tasks; null, having changed nothing, when the table is not empty or not free.</summary>
    /// <remarks>The task counts follow when it commits (the insert trigger runs once, over every row).</remarks>
    public Task<PostgresBulkLoad<AgentTask>?> TryBeginTasksLoadAsync(CancellationToken cancellationToken = default)
        => _executor.TryBeginBulkLoadAsync(TasksTable, cancellationToken);
}
