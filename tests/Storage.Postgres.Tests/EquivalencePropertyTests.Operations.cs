namespace Storage.Postgres.Tests;

public sealed partial class EquivalencePropertyTests
{
    private static readonly DateTimeOffset Start = ManualTimeProvider.DefaultStart;
    private static readonly Guid MissingId = Guid.Parse("0f000000-0000-4000-8000-0000000000ff");

    /// <summary>Ids that imports use, so that imported and created records meet in later steps.</summary>
    private static readonly Guid[] ImportIds =
    [
        Guid.Parse("1a000000-0000-4000-8000-000000000001"),
        Guid.Parse("2b000000-0000-4000-8000-000000000002"),
        Guid.Parse("3c000000-0000-4000-8000-000000000003"),
    ];

    /// <summary>One step of a sequence, applied to one backend's pair of stores.</summary>
    private abstract record Op
    {
        public abstract Task<object?> ApplyAsync(Side side);
    }

    // ---- graph: projects and edges ----

    private sealed record UpsertOp(ProjectKey Key, string? Version, string? Description, string? Homepage) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.UpsertProjectAsync(
            new ProjectUpsert(Key.Ecosystem, Key.Name) { Version = Version, Description = Description, HomepageUrl = Homepage });
    }

    private sealed record GetProjectOp(ProjectKey Key) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.GetProjectAsync(Key);
    }

    private sealed record DeleteProjectOp(ProjectKey Key) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.DeleteProjectAsync(Key);
    }

    private sealed record CountProjectsOp : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.CountProjectsAsync();
    }

    private sealed record SearchOp(string Text, int Limit) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.SearchProjectsAsync(new ProjectSearch(Text, Limit));
    }

    private sealed record ListProjectsOp(ProjectKey? After, int Limit) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.ListProjectsAsync(After, Limit);
    }

    private sealed record AddEdgeOp(ProjectKey From, ProjectKey To) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.AddDependencyAsync(From, To);
    }

    private sealed record RemoveEdgeOp(ProjectKey From, ProjectKey To) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.RemoveDependencyAsync(From, To);
    }

    /// <summary>Kind 0: dependencies, 1: dependents, 2: count of dependents.</summary>
    private sealed record NeighboursOp(ProjectKey Key, int Kind) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => Kind switch
        {
            0 => await side.Graph.GetDependenciesAsync(Key),
            1 => await side.Graph.GetDependentsAsync(Key),
            _ => await side.Graph.CountDependentsAsync(Key),
        };
    }

    private sealed record TransitiveOp(ProjectKey Key, int Depth) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.GetTransitiveDependenciesAsync(Key, Depth);
    }

    // ---- graph: the ledger ----

    private sealed record CreateContributorOp(string Name, string? Email, string? Github) : Op
    {
        public override async Task<object?> ApplyAsync(Side side)
        {
            var created = await side.Graph.CreateContributorAsync(new NewContributor(Name) { Email = Email, GithubUsername = Github });
            side.Contributors.Add(created.Id);
            return created;
        }
    }

    private sealed record FindContributorOp(string Email) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.FindContributorByEmailAsync(Email);
    }

    private sealed record GetLedgerOp(int Kind, int Reference) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => Kind switch
        {
            0 => await side.Graph.GetContributorAsync(side.Contributor(Reference)),
            1 => await side.Graph.GetAssetAsync(side.Asset(Reference)),
            _ => await side.Graph.GetContributionAsync(side.Contribution(Reference)),
        };
    }

    /// <summary>Kind 0: contributors, 1: assets.</summary>
    private sealed record ListLedgerOp(int Kind, int Limit, int Offset) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => Kind == 0
            ? await side.Graph.ListContributorsAsync(Limit, Offset)
            : await side.Graph.ListAssetsAsync(Limit, Offset);
    }

    private sealed record CreateAssetOp(string Name, AssetType Type, string? Description) : Op
    {
        public override async Task<object?> ApplyAsync(Side side)
        {
            var created = await side.Graph.CreateAssetAsync(new NewAsset(Name, Type) { Description = Description });
            side.Assets.Add(created.Id);
            return created;
        }
    }

    private sealed record CreateContributionOp(int Contributor, int Asset, decimal Cost, decimal Score) : Op
    {
        public override async Task<object?> ApplyAsync(Side side)
        {
            var created = await side.Graph.CreateContributionAsync(
                new NewContribution(side.Contributor(Contributor), side.Asset(Asset), Cost, Score));
            side.Contributions.Add(created.Id);
            return created;
        }
    }

    private sealed record ListContributionsOp(int? Asset, int? Contributor, int Limit, int Offset) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.ListContributionsAsync(new ContributionQuery
        {
            AssetId = Asset is { } a ? side.Asset(a) : null,
            ContributorId = Contributor is { } c ? side.Contributor(c) : null,
            Limit = Limit,
            Offset = Offset,
        });
    }

    // ---- graph: imports ----

    private sealed record ProjectRow(ProjectKey Key, string? Description, int Created, int Updated, bool SubMicrosecond);

    private sealed record ImportProjectsOp(ProjectRow[] Rows) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.ImportProjectsAsync([.. Rows.Select(r => new Project(
            r.Key.Ecosystem, r.Key.Name, "1.0", r.Description, null, null, DependencyCount: 7,
            Start.AddSeconds(r.Created).AddTicks(r.SubMicrosecond ? 1 : 0), Start.AddSeconds(r.Updated)))]);

        public override string ToString() => $"ImportProjects [{string.Join(", ", Rows.AsEnumerable())}]";
    }

    private sealed record ImportEdgesOp(DependencyEdge[] Edges) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.ImportDependenciesAsync(Edges);

        public override string ToString() => $"ImportEdges [{string.Join(", ", Edges.AsEnumerable())}]";
    }

    private sealed record ContributorRow(int Id, string Name, string? Email, int Created, int Updated);

    private sealed record ImportContributorsOp(ContributorRow[] Rows) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.ImportContributorsAsync([.. Rows.Select(r => new Contributor(
            ImportId(r.Id), r.Name, r.Email, null, null, JsonMetadata.Parse("""{"b":1,"a":[true]}"""), Start.AddSeconds(r.Created), Start.AddSeconds(r.Updated)))]);

        public override string ToString() => $"ImportContributors [{string.Join(", ", Rows.AsEnumerable())}]";
    }

    private sealed record AssetRow(int Id, string Name, AssetType Type, int Created, int Updated);

    private sealed record ImportAssetsOp(AssetRow[] Rows) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.ImportAssetsAsync([.. Rows.Select(r => new Asset(
            ImportId(r.Id), r.Name, null, r.Type, TotalCost: 5.5m, JsonMetadata.Empty, Start.AddSeconds(r.Created), Start.AddSeconds(r.Updated)))]);

        public override string ToString() => $"ImportAssets [{string.Join(", ", Rows.AsEnumerable())}]";
    }

    private sealed record ContributionRow(int Id, int Contributor, int Asset, decimal Cost, int Created);

    private sealed record ImportContributionsOp(ContributionRow[] Rows) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Graph.ImportContributionsAsync([.. Rows.Select(r => new Contribution(
            ImportId(r.Id), side.Contributor(r.Contributor), side.Asset(r.Asset), r.Cost, 0.25m, JsonMetadata.Empty, Start.AddSeconds(r.Created)))]);

        public override string ToString() => $"ImportContributions [{string.Join(", ", Rows.AsEnumerable())}]";
    }

    // ---- agent tasks ----

    private sealed record CreateTaskOp(string? Id, string Direction, AgentTaskType Type, string? Model) : Op
    {
        public override async Task<object?> ApplyAsync(Side side)
        {
            var created = await side.Tasks.CreateTaskAsync(new NewAgentTask(Direction, Type) { Id = Id, Model = Model, Command = " run it " });
            side.LastTaskId = created.Id;
            return created;
        }
    }

    private sealed record GetTaskOp(string Id) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Tasks.GetTaskAsync(side.TaskId(Id));
    }

    private sealed record UpdateTaskOp(string Id, AgentTaskUpdate Update) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Tasks.UpdateTaskAsync(side.TaskId(Id), Update);
    }

    private sealed record ClaimTaskOp(string Id, string Worker) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Tasks.ClaimTaskAsync(side.TaskId(Id), Worker);
    }

    /// <summary>Claims of one task by <see cref="Workers"/> distinct workers at once; compared by the runner, not applied alone.</summary>
    private sealed record ConcurrentClaimsOp(string Id, int Workers) : Op
    {
        public override Task<object?> ApplyAsync(Side side) => throw new NotSupportedException("The runner compares concurrent claims itself.");
    }

    private sealed record ListTasksOp(AgentTaskQuery Query) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Tasks.ListTasksAsync(Query);
    }

    private sealed record AttentionOp(int Limit) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Tasks.ListAttentionTasksAsync(Limit);
    }

    private sealed record CountTasksOp : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Tasks.CountTasksByStatusAsync();
    }

    private sealed record TaskRow(string Id, AgentTaskStatus Status, string? ClaimedBy, bool ClaimedAt, int Progress, int Created, int Updated);

    private sealed record ImportTasksOp(TaskRow[] Rows) : Op
    {
        public override async Task<object?> ApplyAsync(Side side) => await side.Tasks.ImportTasksAsync([.. Rows.Select(r => new AgentTask(
            r.Id, "imported", AgentTaskType.Heal, r.Status, null, null, "out", JsonMetadata.Empty, r.Progress, null, null, null, "t1",
            r.ClaimedBy, r.ClaimedAt ? Start : null, null, Start.AddSeconds(r.Created), Start.AddSeconds(r.Updated)))]);

        public override string ToString() => $"ImportTasks [{string.Join(", ", Rows.AsEnumerable())}]";
    }

    // ---- the clock ----

    /// <summary>Moves both clocks by <see cref="Ticks"/> (maybe backwards) and sets how far every read moves them.</summary>
    private sealed record TickOp(long Ticks, long AutoAdvanceTicks) : Op
    {
        public override Task<object?> ApplyAsync(Side side)
        {
            side.Time.Advance(TimeSpan.FromTicks(Ticks));
            side.Time.AutoAdvance = TimeSpan.FromTicks(AutoAdvanceTicks);
            return Task.FromResult<object?>(null);
        }
    }

    /// <summary>-1 is the empty id (invalid), 0..2 the import ids, anything else a missing id.</summary>
    private static Guid ImportId(int index) => index < 0 ? Guid.Empty : index < ImportIds.Length ? ImportIds[index] : MissingId;
}
