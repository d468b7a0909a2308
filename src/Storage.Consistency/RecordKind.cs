namespace Storage.Consistency;

/// <summary>
/// The kinds of record the checker compares, in the order it walks them: the dependency order of a repair
/// (projects before their edges, contributors and assets before contributions) and the section order of a snapshot.
/// </summary>
public enum RecordKind
{
    /// <summary>Projects, keyed by ecosystem and name. Named <c>project</c>.</summary>
    Project,

    /// <summary>Dependency edges, keyed by their from and to project keys. Named <c>dependency</c>.</summary>
    Dependency,

    /// <summary>Contributors, keyed by id. Named <c>contributor</c>.</summary>
    Contributor,

    /// <summary>Assets, keyed by id. Named <c>asset</c>.</summary>
    Asset,

    /// <summary>Contributions, keyed by id. Named <c>contribution</c>.</summary>
    Contribution,

    /// <summary>Agent tasks, keyed by id. Named <c>agent_task</c>.</summary>
    AgentTask,
}
