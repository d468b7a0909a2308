namespace Storage.Abstractions;

/// <summary>
/// A partial update: only the fields that are set change. An update with no field set is a validation error.
/// A <see cref="Decision"/> on a task in <see cref="AgentTaskStatus.NeedsDecision"/> moves it to
/// <see cref="AgentTaskStatus.Running"/> unless <see cref="Status"/> says otherwise.
/// </summary>
public sealed record AgentTaskUpdate
{
    /// <summary>The new status.</summary>
    public AgentTaskStatus? Status { get; init; }

    /// <summary>The task's output, at most 1,000,000 characters.</summary>
    public string? Output { get; init; }

    /// <summary>0..100.</summary>
    public int? Progress { get; init; }

    /// <summary>A short description of the current step, trimmed, at most 500 characters.</summary>
    public string? CurrentStep { get; init; }

    /// <summary>The question a human must answer, at most 5,000 characters.</summary>
    public string? DecisionPrompt { get; init; }

    /// <summary>The human's answer, at most 5,000 characters.</summary>
    public string? Decision { get; init; }
}
