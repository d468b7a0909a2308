namespace Storage.DualWrite;

/// <summary>The kinds of entity the dual-write decorators route, lock, journal and repair by key.</summary>
public enum EntityKind
{
    /// <summary>A project, keyed by its normalized ecosystem and name.</summary>
    Project = 1,

    /// <summary>A dependency edge, keyed by its two normalized project keys.</summary>
    Dependency = 2,

    /// <summary>A contributor, keyed by id.</summary>
    Contributor = 3,

    /// <summary>A contributor, keyed by normalized email (for look-ups by email).</summary>
    ContributorEmail = 4,

    /// <summary>An asset, keyed by id (its total follows its contributions).</summary>
    Asset = 5,

    /// <summary>A contribution, keyed by id.</summary>
    Contribution = 6,

    /// <summary>An agent task, keyed by id.</summary>
    AgentTask = 7,
}
