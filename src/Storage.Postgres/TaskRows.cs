using System.Data.Common;
using static Storage.Postgres.PostgresValues;

namespace Storage.Postgres;

/// <summary>The column list the task store selects, and the reader that turns a row into a task.</summary>
internal static class TaskRows
{
    /// <summary>Task columns, in the order of <see cref="AgentTask"/>'s constructor.</summary>
    public const string Columns = """
        id, direction, task_type::text AS task_type, status::text AS status, model, command, output, context::text AS context, progress,
        current_step, decision_prompt, decision, tier, claimed_by, claimed_at, started_at, created_at, updated_at
        """;

    public static AgentTask Read(DbDataReader r) => Read(r, 0);

    /// <summary>Reads the task whose columns start at <paramref name="o"/>.</summary>
    public static AgentTask Read(DbDataReader r, int o) => new(
        r.GetString(o),
        r.GetString(o + 1),
        TaskType(r.GetString(o + 2)),
        Status(r.GetString(o + 3)),
        Text(r, o + 4),
        Text(r, o + 5),
        Text(r, o + 6),
        JsonText(r.GetString(o + 7)),
        r.GetInt32(o + 8),
        Text(r, o + 9),
        Text(r, o + 10),
        Text(r, o + 11),
        Text(r, o + 12),
        Text(r, o + 13),
        NullableTime(r, o + 14),
        NullableTime(r, o + 15),
        Time(r, o + 16),
        Time(r, o + 17));
}
