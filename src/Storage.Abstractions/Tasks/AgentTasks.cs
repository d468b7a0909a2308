namespace Storage.Abstractions;

/// <summary>How every backend builds a new agent task, so the stored values cannot drift apart between backends.</summary>
public static class AgentTasks
{
    /// <summary>The id of a new task: the one given, or <c>task_</c> plus a new id's 32 hex digits.</summary>
    public static string NewId(NewAgentTask fields, IStorageIdGenerator idGenerator)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(idGenerator);
        return fields.Id ?? "task_" + idGenerator.NewId().ToString("N");
    }

    /// <summary>A new pending task with progress 0, created and updated at <paramref name="now"/>, from normalized fields.</summary>
    public static AgentTask Create(NewAgentTask fields, string id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new AgentTask(
            id,
            fields.Direction,
            fields.TaskType,
            AgentTaskStatus.Pending,
            fields.Model,
            fields.Command,
            Output: null,
            fields.Context ?? JsonMetadata.Empty,
            Progress: 0,
            CurrentStep: null,
            DecisionPrompt: null,
            Decision: null,
            fields.Tier,
            ClaimedBy: null,
            ClaimedAt: null,
            StartedAt: null,
            CreatedAt: now,
            UpdatedAt: now);
    }
}
