namespace Storage.Abstractions;

/// <summary>The errors backends throw, built in one place so every backend uses the same entity names and messages.</summary>
public static class StorageErrors
{
    /// <summary>A project is missing.</summary>
    public static EntityNotFoundException ProjectNotFound(ProjectKey key) => new("project", key.ToString());

    /// <summary>A contributor is missing.</summary>
    public static EntityNotFoundException ContributorNotFound(Guid id) => new("contributor", id.ToString("D"));

    /// <summary>An asset is missing.</summary>
    public static EntityNotFoundException AssetNotFound(Guid id) => new("asset", id.ToString("D"));

    /// <summary>An agent task is missing.</summary>
    public static EntityNotFoundException TaskNotFound(string id) => new("agent_task", id);

    /// <summary>Another contributor already has this (normalized) email.</summary>
    public static StorageConflictException EmailTaken(string email) => new($"a contributor with email '{email}' already exists.");

    /// <summary>A task with this id already exists.</summary>
    public static StorageConflictException TaskExists(string id) => new($"agent task '{id}' already exists.");

    /// <summary>The task is claimed by another worker.</summary>
    public static StorageConflictException ClaimedByAnother(string id) => new($"agent task '{id}' is claimed by another worker.");

    /// <summary>The task's status does not allow a claim.</summary>
    public static StorageConflictException NotClaimable(string id, AgentTaskStatus status)
        => new($"agent task '{id}' cannot be claimed while {StorageNames.Of(status)}.");
}
