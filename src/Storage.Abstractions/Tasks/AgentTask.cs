namespace Storage.Abstractions;

/// <summary>A stored agent task.</summary>
public sealed record AgentTask(
    string Id,
    string Direction,
    AgentTaskType TaskType,
    AgentTaskStatus Status,
    string? Model,
    string? Command,
    string? Output,
    JsonMetadata Context,
    int Progress,
    string? CurrentStep,
    string? DecisionPrompt,
    string? Decision,
    string? Tier,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
