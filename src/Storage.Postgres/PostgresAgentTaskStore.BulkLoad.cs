namespace Storage.Postgres;

/// <summary>The task table as a <see cref="PostgresBulkLoad"/> loads it: a backfill's fast path.</summary>
public sealed partial class PostgresAgentTaskStore
{
    internal static readonly PostgresBulkLoadTable<AgentTask> TasksTable = new(
        "agent_tasks",
        AppendSql,
        StorageValidation.Normalize,
        static (row, t) => WriteTask(row, t, 0),
        StreamFirstSql,
        static r => TaskRows.Read(r, 0),
        BeforeCopySql: LockCountersSql);
}
