namespace Storage.Abstractions;

public static partial class StorageValidation
{
    /// <summary>A task id: 1..50 characters of ASCII letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>:</c>.</summary>
    public static string TaskId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new StorageValidationException("id", "must not be empty");
        }

        if (id.Length > StorageLimits.TaskId)
        {
            throw new StorageValidationException("id", $"must be at most {StorageLimits.TaskId} characters (got {id.Length})");
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                throw new StorageValidationException("id", "may contain only ASCII letters, digits, '-', '_', '.' and ':'");
            }
        }

        return id;
    }

    /// <summary>A worker id: trimmed, 1..100 characters.</summary>
    public static string WorkerId(string? workerId) => RequiredTrimmed(workerId, "worker_id", StorageLimits.WorkerId);

    /// <summary>A new task, normalized. A null id stays null (the store generates one).</summary>
    public static NewAgentTask Normalize(NewAgentTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new NewAgentTask(RequiredTrimmed(task.Direction, "direction", StorageLimits.Direction), Defined(task.TaskType, "task_type"))
        {
            Id = task.Id is null ? null : TaskId(task.Id),
            Model = OptionalTrimmed(task.Model, "model", StorageLimits.Model),
            Command = OptionalText(task.Command, "command", StorageLimits.Command),
            Context = task.Context ?? JsonMetadata.Empty,
            Tier = OptionalTrimmed(task.Tier, "tier", StorageLimits.Tier),
        };
    }

    /// <summary>A partial update, normalized. An update with no field set is rejected (field <c>update</c>).</summary>
    public static AgentTaskUpdate Normalize(AgentTaskUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update is { Status: null, Output: null, Progress: null, CurrentStep: null, DecisionPrompt: null, Decision: null })
        {
            throw new StorageValidationException("update", "must set at least one field");
        }

        return new AgentTaskUpdate
        {
            Status = update.Status is { } s ? Defined(s, "status") : null,
            Output = OptionalText(update.Output, "output", StorageLimits.Output),
            Progress = update.Progress is { } p ? Progress(p) : null,
            CurrentStep = update.CurrentStep is null ? null : RequiredTrimmed(update.CurrentStep, "current_step", StorageLimits.CurrentStep),
            DecisionPrompt = OptionalText(update.DecisionPrompt, "decision_prompt", StorageLimits.Decision),
            Decision = OptionalText(update.Decision, "decision", StorageLimits.Decision),
        };
    }

    /// <summary>A task to import, every field checked; claimed-by and claimed-at are set together.</summary>
    public static AgentTask Normalize(AgentTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var fields = Normalize(new NewAgentTask(task.Direction, task.TaskType)
        {
            Id = TaskId(task.Id),
            Model = task.Model,
            Command = task.Command,
            Context = task.Context,
            Tier = task.Tier,
        });
        var claimedBy = task.ClaimedBy is null ? null : WorkerId(task.ClaimedBy);
        if ((claimedBy is null) != (task.ClaimedAt is null))
        {
            throw new StorageValidationException("claimed_at", "must be set exactly when claimed_by is set");
        }

        var (created, updated) = Times(task.CreatedAt, task.UpdatedAt);
        return task with
        {
            Direction = fields.Direction,
            Status = Defined(task.Status, "status"),
            Model = fields.Model,
            Command = fields.Command,
            Output = OptionalText(task.Output, "output", StorageLimits.Output),
            Context = fields.Context!,
            Progress = Progress(task.Progress),
            CurrentStep = task.CurrentStep is null ? null : RequiredTrimmed(task.CurrentStep, "current_step", StorageLimits.CurrentStep),
            DecisionPrompt = OptionalText(task.DecisionPrompt, "decision_prompt", StorageLimits.Decision),
            Decision = OptionalText(task.Decision, "decision", StorageLimits.Decision),
            Tier = fields.Tier,
            ClaimedBy = claimedBy,
            ClaimedAt = StorageTime.Normalize(task.ClaimedAt, "claimed_at"),
            StartedAt = StorageTime.Normalize(task.StartedAt, "started_at"),
            CreatedAt = created,
            UpdatedAt = updated,
        };
    }

    /// <summary>A task query: defined filters, limit 1..100, offset at least 0.</summary>
    public static AgentTaskQuery Normalize(AgentTaskQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Status is { } status)
        {
            _ = Defined(status, "status");
        }

        if (query.TaskType is { } type)
        {
            _ = Defined(type, "task_type");
        }

        _ = Limit(query.Limit);
        _ = Offset(query.Offset);
        return query;
    }

    private static int Progress(int progress)
        => progress is < 0 or > 100
            ? throw new StorageValidationException("progress", $"must be between 0 and 100 (got {progress})")
            : progress;
}
