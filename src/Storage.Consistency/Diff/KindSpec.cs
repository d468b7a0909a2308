namespace Storage.Consistency;

/// <summary>What the checker needs to know about one kind: how to read, order, key, compare and date its records.</summary>
internal abstract class KindSpec
{
    public static IReadOnlyList<KindSpec> All { get; } =
    [
        new KindSpec<Project>(
            RecordKind.Project,
            (side, ct) => side.StreamProjectsAsync(ct),
            (x, y) => StorageOrdering.CompareKey(x.Key, y.Key),
            p => RecordKey.Project(p.Key),
            RecordFields.Project,
            p => p.UpdatedAt,
            ["ecosystem", "name", "version", "description", "homepage_url", "repository_url", RecordFields.DependencyCount, "created_at", "updated_at"]),
        new KindSpec<DependencyEdge>(
            RecordKind.Dependency,
            (side, ct) => side.StreamDependenciesAsync(ct),
            StorageOrdering.Edge.Compare,
            RecordKey.Dependency,
            RecordFields.Dependency,
            _ => null,
            []),
        new KindSpec<Contributor>(
            RecordKind.Contributor,
            (side, ct) => side.StreamContributorsAsync(ct),
            (x, y) => StorageOrdering.CompareGuid(x.Id, y.Id),
            c => RecordKey.Contributor(c.Id),
            RecordFields.Contributor,
            c => c.UpdatedAt,
            ["id", "name", "email", "github_username", "wallet_address", "metadata", "created_at", "updated_at"]),
        new KindSpec<Asset>(
            RecordKind.Asset,
            (side, ct) => side.StreamAssetsAsync(ct),
            (x, y) => StorageOrdering.CompareGuid(x.Id, y.Id),
            a => RecordKey.Asset(a.Id),
            RecordFields.Asset,
            a => a.UpdatedAt,
            ["id", "name", "description", "asset_type", RecordFields.TotalCost, "metadata", "created_at", "updated_at"]),
        new KindSpec<Contribution>(
            RecordKind.Contribution,
            (side, ct) => side.StreamContributionsAsync(ct),
            (x, y) => StorageOrdering.CompareGuid(x.Id, y.Id),
            c => RecordKey.Contribution(c.Id),
            RecordFields.Contribution,
            c => c.CreatedAt,
            ["id", "contributor_id", "asset_id", "cost_amount", "coherence_score", "metadata", "created_at"]),
        new KindSpec<AgentTask>(
            RecordKind.AgentTask,
            (side, ct) => side.StreamTasksAsync(ct),
            (x, y) => StorageOrdering.CompareText(x.Id, y.Id),
            t => RecordKey.AgentTask(t.Id),
            RecordFields.AgentTask,
            t => t.UpdatedAt,
            ["id", "direction", "task_type", "status", "model", "command", "output", "context", "progress", "current_step",
                "decision_prompt", "decision", "tier", "claimed_by", "claimed_at", "started_at", "created_at", "updated_at"]),
    ];

    public abstract RecordKind Kind { get; }

    /// <summary>The stored field names, in record order.</summary>
    public abstract IReadOnlyList<string> FieldNames { get; }

    public static KindSpec Of(RecordKind kind) => All[(int)kind];

    /// <summary>Reads the kind on both sides and merges them in key order, reporting each key to <paramref name="run"/>.</summary>
    public abstract Task MergeAsync(CheckRun run, KindTally tally, CancellationToken cancellationToken);

    public abstract RecordKey KeyOf(object record);

    /// <summary>Orders two records of the kind by key, as both sides stream them.</summary>
    public abstract int Compare(object x, object y);

    /// <summary>Orders two keys of the kind as <see cref="Compare"/> orders their records.</summary>
    public int CompareKeys(RecordKey x, RecordKey y) => Kind switch
    {
        RecordKind.Project => StorageOrdering.CompareKey(x.ProjectKey, y.ProjectKey),
        RecordKind.Dependency => StorageOrdering.Edge.Compare(x.Edge, y.Edge),
        RecordKind.AgentTask => StorageOrdering.CompareText(x.TaskId, y.TaskId),
        _ => StorageOrdering.CompareGuid(x.Id, y.Id),
    };

    /// <summary>The differing fields of two records with the same key, or null when they are equal.</summary>
    public abstract List<string>? Differences(object source, object target);

    /// <summary>When a live side last wrote the record (updated time; created time for contributions; null for edges).</summary>
    public abstract DateTimeOffset? TimeOf(object record);
}
