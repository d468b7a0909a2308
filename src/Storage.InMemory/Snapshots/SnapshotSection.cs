namespace Storage.InMemory;

/// <summary>The sections of a snapshot file, in the order they appear.</summary>
public enum SnapshotSection
{
    /// <summary>Projects, by key. Line tag <c>project</c>.</summary>
    Projects,

    /// <summary>Dependency edges, by from then to. Line tag <c>dependency</c>.</summary>
    Dependencies,

    /// <summary>Contributors, by id. Line tag <c>contributor</c>.</summary>
    Contributors,

    /// <summary>Assets, by id. Line tag <c>asset</c>.</summary>
    Assets,

    /// <summary>Contributions, by id. Line tag <c>contribution</c>.</summary>
    Contributions,

    /// <summary>Agent tasks, by id. Line tag <c>agent_task</c>.</summary>
    AgentTasks,
}
