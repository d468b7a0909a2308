namespace Storage.Abstractions;

/// <summary>The number of tasks in each status.</summary>
public sealed record AgentTaskCounts(long Pending, long Running, long Completed, long Failed, long NeedsDecision)
{
    /// <summary>All tasks.</summary>
    public long Total => Pending + Running + Completed + Failed + NeedsDecision;
}
