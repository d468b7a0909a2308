using System.Globalization;

namespace Storage.Consistency;

/// <summary>
/// The key of one record: its kind and its key parts, the same parts a snapshot and the dual-write repair journal
/// use. A project has two parts (ecosystem, name), an edge four (from ecosystem, from name, to ecosystem, to name),
/// a contributor, asset or contribution one (the id, <c>D</c> format), an agent task one (the id).
/// </summary>
public readonly record struct RecordKey
{
    private RecordKey(RecordKind kind, string first, string second = "", string third = "", string fourth = "", Guid id = default)
    {
        Kind = kind;
        First = first;
        Second = second;
        Third = third;
        Fourth = fourth;
        Id = id;
    }

    /// <summary>The kind of record.</summary>
    public RecordKind Kind { get; }

    /// <summary>The project ecosystem, the edge's from ecosystem or the task id; empty for id-keyed records.</summary>
    public string First { get; }

    /// <summary>The project name or the edge's from name; empty otherwise.</summary>
    public string Second { get; }

    /// <summary>The edge's to ecosystem; empty otherwise.</summary>
    public string Third { get; }

    /// <summary>The edge's to name; empty otherwise.</summary>
    public string Fourth { get; }

    /// <summary>The id of a contributor, asset or contribution; empty otherwise.</summary>
    public Guid Id { get; }

    /// <summary>The project key of a <see cref="RecordKind.Project"/> key.</summary>
    public ProjectKey ProjectKey => new(First, Second);

    /// <summary>The edge of a <see cref="RecordKind.Dependency"/> key.</summary>
    public DependencyEdge Edge => new(new ProjectKey(First, Second), new ProjectKey(Third, Fourth));

    /// <summary>The task id of an <see cref="RecordKind.AgentTask"/> key.</summary>
    public string TaskId => First;

    /// <summary>A project's key.</summary>
    public static RecordKey Project(ProjectKey key) => new(RecordKind.Project, key.Ecosystem, key.Name);

    /// <summary>An edge's key.</summary>
    public static RecordKey Dependency(DependencyEdge edge)
        => new(RecordKind.Dependency, edge.From.Ecosystem, edge.From.Name, edge.To.Ecosystem, edge.To.Name);

    /// <summary>A contributor's key.</summary>
    public static RecordKey Contributor(Guid id) => new(RecordKind.Contributor, "", id: id);

    /// <summary>An asset's key.</summary>
    public static RecordKey Asset(Guid id) => new(RecordKind.Asset, "", id: id);

    /// <summary>A contribution's key.</summary>
    public static RecordKey Contribution(Guid id) => new(RecordKind.Contribution, "", id: id);

    /// <summary>An agent task's key.</summary>
    public static RecordKey AgentTask(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new(RecordKind.AgentTask, id);
    }

    /// <summary>The key parts, as a snapshot or the repair journal writes them.</summary>
    public IReadOnlyList<string> Parts => Kind switch
    {
        RecordKind.Project => [First, Second],
        RecordKind.Dependency => [First, Second, Third, Fourth],
        RecordKind.AgentTask => [First],
        _ => [Id.ToString("D", CultureInfo.InvariantCulture)],
    };

    /// <summary>The key for people: <c>npm/react</c>, <c>npm/react -&gt; npm/scheduler</c>, an id.</summary>
    public override string ToString() => Kind switch
    {
        RecordKind.Project => $"{First}/{Second}",
        RecordKind.Dependency => $"{First}/{Second} -> {Third}/{Fourth}",
        RecordKind.AgentTask => First,
        _ => Id.ToString("D", CultureInfo.InvariantCulture),
    };
}
