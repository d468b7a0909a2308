namespace Storage.Consistency;

/// <summary>
/// Field-by-field comparison of two records of one kind with the same key. Every field is compared, derived ones
/// (<c>dependency_count</c>, <c>total_cost</c>) too; text ordinally, decimals by value and scale, times as instants,
/// JSON by canonical text. Field names are the stored (snapshot) names, in record order.
/// </summary>
internal static class RecordFields
{
    /// <summary>The derived field of a project.</summary>
    public const string DependencyCount = "dependency_count";

    /// <summary>The derived field of an asset.</summary>
    public const string TotalCost = "total_cost";

    /// <summary>The differing fields of two projects, or null when they are equal.</summary>
    public static List<string>? Project(Project a, Project b)
    {
        List<string>? fields = null;
        Check(ref fields, a.Ecosystem, b.Ecosystem, "ecosystem");
        Check(ref fields, a.Name, b.Name, "name");
        Check(ref fields, a.Version, b.Version, "version");
        Check(ref fields, a.Description, b.Description, "description");
        Check(ref fields, a.HomepageUrl, b.HomepageUrl, "homepage_url");
        Check(ref fields, a.RepositoryUrl, b.RepositoryUrl, "repository_url");
        Check(ref fields, a.DependencyCount == b.DependencyCount, DependencyCount);
        Check(ref fields, a.CreatedAt, b.CreatedAt, "created_at");
        Check(ref fields, a.UpdatedAt, b.UpdatedAt, "updated_at");
        return fields;
    }

    /// <summary>Always null: an edge has no field besides its key, so two edges with the same key are equal.</summary>
    public static List<string>? Dependency(DependencyEdge a, DependencyEdge b) => null;

    /// <summary>The differing fields of two contributors, or null when they are equal.</summary>
    public static List<string>? Contributor(Contributor a, Contributor b)
    {
        List<string>? fields = null;
        Check(ref fields, a.Id == b.Id, "id");
        Check(ref fields, a.Name, b.Name, "name");
        Check(ref fields, a.Email, b.Email, "email");
        Check(ref fields, a.GithubUsername, b.GithubUsername, "github_username");
        Check(ref fields, a.WalletAddress, b.WalletAddress, "wallet_address");
        Check(ref fields, a.Metadata.Equals(b.Metadata), "metadata");
        Check(ref fields, a.CreatedAt, b.CreatedAt, "created_at");
        Check(ref fields, a.UpdatedAt, b.UpdatedAt, "updated_at");
        return fields;
    }

    /// <summary>The differing fields of two assets, or null when they are equal.</summary>
    public static List<string>? Asset(Asset a, Asset b)
    {
        List<string>? fields = null;
        Check(ref fields, a.Id == b.Id, "id");
        Check(ref fields, a.Name, b.Name, "name");
        Check(ref fields, a.Description, b.Description, "description");
        Check(ref fields, a.AssetType == b.AssetType, "asset_type");
        Check(ref fields, a.TotalCost, b.TotalCost, TotalCost);
        Check(ref fields, a.Metadata.Equals(b.Metadata), "metadata");
        Check(ref fields, a.CreatedAt, b.CreatedAt, "created_at");
        Check(ref fields, a.UpdatedAt, b.UpdatedAt, "updated_at");
        return fields;
    }

    /// <summary>The differing fields of two contributions, or null when they are equal.</summary>
    public static List<string>? Contribution(Contribution a, Contribution b)
    {
        List<string>? fields = null;
        Check(ref fields, a.Id == b.Id, "id");
        Check(ref fields, a.ContributorId == b.ContributorId, "contributor_id");
        Check(ref fields, a.AssetId == b.AssetId, "asset_id");
        Check(ref fields, a.CostAmount, b.CostAmount, "cost_amount");
        Check(ref fields, a.CoherenceScore, b.CoherenceScore, "coherence_score");
        Check(ref fields, a.Metadata.Equals(b.Metadata), "metadata");
        Check(ref fields, a.CreatedAt, b.CreatedAt, "created_at");
        return fields;
    }

    /// <summary>The differing fields of two agent tasks, or null when they are equal.</summary>
    public static List<string>? AgentTask(AgentTask a, AgentTask b)
    {
        List<string>? fields = null;
        Check(ref fields, a.Id, b.Id, "id");
        Check(ref fields, a.Direction, b.Direction, "direction");
        Check(ref fields, a.TaskType == b.TaskType, "task_type");
        Check(ref fields, a.Status == b.Status, "status");
        Check(ref fields, a.Model, b.Model, "model");
        Check(ref fields, a.Command, b.Command, "command");
        Check(ref fields, a.Output, b.Output, "output");
        Check(ref fields, a.Context.Equals(b.Context), "context");
        Check(ref fields, a.Progress == b.Progress, "progress");
        Check(ref fields, a.CurrentStep, b.CurrentStep, "current_step");
        Check(ref fields, a.DecisionPrompt, b.DecisionPrompt, "decision_prompt");
        Check(ref fields, a.Decision, b.Decision, "decision");
        Check(ref fields, a.Tier, b.Tier, "tier");
        Check(ref fields, a.ClaimedBy, b.ClaimedBy, "claimed_by");
        Check(ref fields, a.ClaimedAt, b.ClaimedAt, "claimed_at");
        Check(ref fields, a.StartedAt, b.StartedAt, "started_at");
        Check(ref fields, a.CreatedAt, b.CreatedAt, "created_at");
        Check(ref fields, a.UpdatedAt, b.UpdatedAt, "updated_at");
        return fields;
    }

    /// <summary>True when every field is derived: a repair of the edges or contributions fixes it, not a write of the record.</summary>
    public static bool OnlyDerived(RecordKind kind, IReadOnlyList<string> fields)
        => fields.Count > 0 && fields.All(f => (kind, f) is (RecordKind.Project, DependencyCount) or (RecordKind.Asset, TotalCost));

    private static void Check(ref List<string>? fields, string? a, string? b, string name)
        => Check(ref fields, string.Equals(a, b, StringComparison.Ordinal), name);

    private static void Check(ref List<string>? fields, decimal a, decimal b, string name)
        => Check(ref fields, a == b && a.Scale == b.Scale, name);

    private static void Check(ref List<string>? fields, DateTimeOffset? a, DateTimeOffset? b, string name)
        => Check(ref fields, a == b, name);

    private static void Check(ref List<string>? fields, bool equal, string name)
    {
        if (!equal)
        {
            (fields ??= []).Add(name);
        }
    }
}
