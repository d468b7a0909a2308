namespace Storage.Abstractions;

/// <summary>Filters and pages agent tasks, newest first (created time descending, then id descending).</summary>
public sealed record AgentTaskQuery
{
    /// <summary>Only tasks in this status, when set.</summary>
    public AgentTaskStatus? Status { get; init; }

    /// <summary>Only tasks of this type, when set.</summary>
    public AgentTaskType? TaskType { get; init; }

    /// <summary>1..100; <value>50</value> by default.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>At least 0; <value>0</value> by default.</summary>
    public int Offset { get; init; }
}
