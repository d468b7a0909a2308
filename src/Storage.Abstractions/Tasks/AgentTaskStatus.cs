namespace Storage.Abstractions;

/// <summary>Where an agent task is in its lifecycle. Stored as <c>pending</c>, <c>running</c>, <c>completed</c>, <c>failed</c>, <c>needs_decision</c>.</summary>
public enum AgentTaskStatus
{
    /// <summary>Created, not yet claimed.</summary>
    Pending,

    /// <summary>Claimed by a worker, or resumed after a decision.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Completed,

    /// <summary>Finished unsuccessfully; on the attention list.</summary>
    Failed,

    /// <summary>Waiting for a human decision; on the attention list.</summary>
    NeedsDecision,
}
