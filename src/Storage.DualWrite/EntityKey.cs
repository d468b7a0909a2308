using System.Globalization;

namespace Storage.DualWrite;

/// <summary>
/// The key of one entity in both backends: its kind, up to four normalized text parts, or an id. Equal keys name the
/// same entity. <see cref="Bucket"/> and the lock stripe come from a stable hash (FNV-1a with a final mix), the same in
/// every process, so a key is always routed the same way.
/// </summary>
public readonly record struct EntityKey
{
    private EntityKey(EntityKind kind, string first, string second, string third, string fourth, Guid id)
    {
        Kind = kind;
        First = first;
        Second = second;
        Third = third;
        Fourth = fourth;
        Id = id;
    }

    /// <summary>The kind of entity.</summary>
    public EntityKind Kind { get; }

    /// <summary>The first text part (ecosystem, email or task id), or empty.</summary>
    public string First { get; }

    /// <summary>The second text part (project name), or empty.</summary>
    public string Second { get; }

    /// <summary>The third text part (a dependency's target ecosystem), or empty.</summary>
    public string Third { get; }

    /// <summary>The fourth text part (a dependency's target name), or empty.</summary>
    public string Fourth { get; }

    /// <summary>The id of a contributor, asset or contribution; empty otherwise.</summary>
    public Guid Id { get; }

    /// <summary>The stable hash of the key, computed when asked (routing at a read share above 0, lock stripes of writes).</summary>
    internal uint Hash => StableHash.Of(Kind, First, Second, Third, Fourth, Id);

    /// <summary>0..99: reads of this key go to the target when the bucket is below the read percentage.</summary>
    public int Bucket => (int)(Hash % 100);

    /// <summary>A project key, already normalized.</summary>
    public static EntityKey Project(ProjectKey key) => new(EntityKind.Project, key.Ecosystem, key.Name, "", "", Guid.Empty);

    /// <summary>A dependency edge, already normalized.</summary>
    public static EntityKey Dependency(DependencyEdge edge)
        => new(EntityKind.Dependency, edge.From.Ecosystem, edge.From.Name, edge.To.Ecosystem, edge.To.Name, Guid.Empty);

    /// <summary>A contributor by id.</summary>
    public static EntityKey Contributor(Guid id) => new(EntityKind.Contributor, "", "", "", "", id);

    /// <summary>A contributor by normalized email.</summary>
    public static EntityKey ContributorEmail(string email) => new(EntityKind.ContributorEmail, email, "", "", "", Guid.Empty);

    /// <summary>An asset by id.</summary>
    public static EntityKey Asset(Guid id) => new(EntityKind.Asset, "", "", "", "", id);

    /// <summary>A contribution by id.</summary>
    public static EntityKey Contribution(Guid id) => new(EntityKind.Contribution, "", "", "", "", id);

    /// <summary>An agent task by id.</summary>
    public static EntityKey AgentTask(string id) => new(EntityKind.AgentTask, id, "", "", "", Guid.Empty);

    /// <summary>The project key of a <see cref="EntityKind.Project"/> key.</summary>
    public ProjectKey ProjectKey => new(First, Second);

    /// <summary>The edge of a <see cref="EntityKind.Dependency"/> key.</summary>
    public DependencyEdge Edge => new(new ProjectKey(First, Second), new ProjectKey(Third, Fourth));

    /// <summary>Rebuilds a key from its kind and parts (as the journal stores them).</summary>
    /// <exception cref="FormatException">The parts do not fit the kind.</exception>
    public static EntityKey FromParts(EntityKind kind, IReadOnlyList<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        string Part(int index) => index < parts.Count ? parts[index] ?? "" : throw new FormatException($"A {kind} key needs {index + 1} parts.");
        return kind switch
        {
            EntityKind.Project => Project(new ProjectKey(Part(0), Part(1))),
            EntityKind.Dependency => Dependency(new DependencyEdge(new ProjectKey(Part(0), Part(1)), new ProjectKey(Part(2), Part(3)))),
            EntityKind.Contributor => Contributor(Guid.Parse(Part(0), CultureInfo.InvariantCulture)),
            EntityKind.ContributorEmail => ContributorEmail(Part(0)),
            EntityKind.Asset => Asset(Guid.Parse(Part(0), CultureInfo.InvariantCulture)),
            EntityKind.Contribution => Contribution(Guid.Parse(Part(0), CultureInfo.InvariantCulture)),
            EntityKind.AgentTask => AgentTask(Part(0)),
            _ => throw new FormatException($"Unknown entity kind {kind}."),
        };
    }

    /// <summary>The parts <see cref="FromParts"/> takes back.</summary>
    public IReadOnlyList<string> ToParts() => Kind switch
    {
        EntityKind.Project => [First, Second],
        EntityKind.Dependency => [First, Second, Third, Fourth],
        EntityKind.Contributor or EntityKind.Asset or EntityKind.Contribution => [Id.ToString("D")],
        _ => [First],
    };

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        EntityKind.Project => $"project {First}/{Second}",
        EntityKind.Dependency => $"dependency {First}/{Second} -> {Third}/{Fourth}",
        EntityKind.ContributorEmail => $"contributor email {First}",
        EntityKind.AgentTask => $"agent_task {First}",
        _ => $"{Kind.ToString().ToLowerInvariant()} {Id:D}",
    };
}
