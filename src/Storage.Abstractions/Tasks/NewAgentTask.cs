namespace Storage.Abstractions;

/// <summary>What a caller sends to create an agent task. The task starts <see cref="AgentTaskStatus.Pending"/> with progress 0.</summary>
/// <param name="Direction">Trimmed, 1..5,000 characters.</param>
/// <param name="TaskType">A defined <see cref="AgentTaskType"/> value.</param>
public sealed record NewAgentTask(string Direction, AgentTaskType TaskType)
{
    /// <summary>Optional id, 1..50 characters of letters, digits, <c>-</c>, <c>_</c>, <c>.</c>, <c>:</c>; generated (<c>task_</c> + 32 hex digits) when null. A taken id is a conflict.</summary>
    public string? Id { get; init; }

    /// <summary>The model that should run it, trimmed, at most 100 characters.</summary>
    public string? Model { get; init; }

    /// <summary>The command to run, at most 10,000 characters.</summary>
    public string? Command { get; init; }

    /// <summary>A JSON object; <see cref="JsonMetadata.Empty"/> when null.</summary>
    public JsonMetadata? Context { get; init; }

    /// <summary>A scheduling tier, trimmed, at most 50 characters.</summary>
    public string? Tier { get; init; }
}
