using FsCheck;
using FsCheck.Fluent;
using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>
/// Property tests of <see cref="InMemoryGraphStore"/>: random operation sequences agree with a reference model,
/// and concurrent random operations keep the derived values (dependency counts, asset totals) exact.
/// </summary>
public sealed partial class GraphStorePropertyTests
{
    private static readonly Guid MissingId = Guid.Parse("0f000000-0000-4000-8000-0000000000ff");
    private static readonly string[] Ecosystems = ["npm", " NPM ", "Pypi", "", "  "];
    private static readonly string[] ProjectNames = ["a", " A ", "b", "é", "É", "😀", "a_b", "\0", ""];
    private static readonly string?[] Descriptions = [null, "", "  kept  ", "x\uD800"];
    private static readonly string[] PersonNames = ["Ada", "  Bob  ", "日本", "", "x\0"];
    private static readonly string?[] Emails = [null, "", "ada@x.io", " ADA@X.IO ", "bob@x.io", "not-an-email"];
    private static readonly decimal[] Costs = [0m, 0.10m, 2.5m, 999_999_999_999.99m, 1.005m, -1m, 1_000_000_000_000m];
    private static readonly decimal[] Scores = [0m, 0.5m, 1m, 1.01m, 0.555m];
    private static readonly AssetType[] AssetTypes = [AssetType.Code, AssetType.Data, (AssetType)17];

    private static Gen<ProjectKey> KeyGen =>
        from ecosystem in Gen.Elements(Ecosystems)
        from name in Gen.Elements(ProjectNames)
        select new ProjectKey(ecosystem, name);

    /// <summary>Reference -1 is the empty id, 0..n-1 a created entity, anything beyond a missing one.</summary>
    private static Gen<int> ReferenceGen => Gen.Choose(-1, 5);

    private static Gen<Op> OperationGen => Gen.Frequency(
        (5, from key in KeyGen from description in Gen.Elements(Descriptions) select (Op)new UpsertOp(key, description)),
        (2, KeyGen.Select(key => (Op)new DeleteOp(key))),
        (5, from source in KeyGen from target in KeyGen select (Op)new AddEdgeOp(source, target)),
        (2, from source in KeyGen from target in KeyGen select (Op)new RemoveEdgeOp(source, target)),
        (3, from name in Gen.Elements(PersonNames) from email in Gen.Elements(Emails) select (Op)new ContributorOp(name, email)),
        (2, from name in Gen.Elements(PersonNames) from type in Gen.Elements(AssetTypes) select (Op)new AssetOp(name, type)),
        (5, from contributor in ReferenceGen from asset in ReferenceGen from cost in Gen.Elements(Costs) from score in Gen.Elements(Scores)
            select (Op)new ContributionOp(contributor, asset, cost, score)),
        (3, Gen.Elements(1L, 7L, 10_000_000L).Select(ticks => (Op)new TickOp(ticks))));

    [Fact]
    public void Random_operation_sequences_match_the_reference_model()
    {
        var sequences = Gen.Choose(1, 60).SelectMany(length => Gen.ArrayOf(OperationGen, length));

        Prop.ForAll(Arb.From(sequences), MatchesModelAsync).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void Concurrent_random_operations_keep_counts_and_totals_exact()
    {
        var perThread = Gen.ArrayOf(ConcurrentOperationGen, 150);
        var workloads = Gen.ArrayOf(perThread, 6);

        Prop.ForAll(Arb.From(workloads), RunConcurrentlyAsync).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    private static async Task MatchesModelAsync(Op[] operations)
    {
        var time = new ManualTimeProvider();
        var store = new InMemoryGraphStore(time, new SequentialIdGenerator());
        var model = new GraphModel(time, new SequentialIdGenerator());

        for (var i = 0; i < operations.Length; i++)
        {
            var expected = await OutcomeAsync(() => Task.FromResult(ApplyToModel(model, operations[i], time)));
            var actual = await OutcomeAsync(() => ApplyToStoreAsync(store, model, operations[i]));
            Assert.True(expected == actual, $"step {i} ({operations[i]}):\nmodel: {expected}\nstore: {actual}");
        }

        Assert.Equal(Lines(model.Projects), Lines(await ToListAsync(store.StreamProjectsAsync())));
        Assert.Equal(Lines(model.Edges), Lines(await ToListAsync(store.StreamDependenciesAsync())));
        Assert.Equal(Lines(model.Contributors), Lines(await ToListAsync(store.StreamContributorsAsync())));
        Assert.Equal(Lines(model.Assets), Lines(await ToListAsync(store.StreamAssetsAsync())));
        Assert.Equal(Lines(model.Contributions), Lines(await ToListAsync(store.StreamContributionsAsync())));
        Assert.Equal(Lines(model.ContributorsNewestFirst), Lines(await store.ListContributorsAsync(100)));
        foreach (var project in model.Projects)
        {
            Assert.Equal(model.DependentsOf(project.Key), (await store.GetDependentsAsync(project.Key)).Select(p => p.Key));
        }

        var replaced = new InMemoryGraphStore(time, new SequentialIdGenerator());
        await replaced.UpsertProjectAsync(new ProjectUpsert("npm", "discarded"));
        replaced.ReplaceContents(store);
        Assert.Equal(Lines(model.Projects), Lines(await ToListAsync(replaced.StreamProjectsAsync())));
        Assert.Equal(Lines(model.Assets), Lines(await ToListAsync(replaced.StreamAssetsAsync())));
        Assert.Equal(0, await store.CountProjectsAsync());
    }

    private static object ApplyToModel(GraphModel model, Op operation, ManualTimeProvider time) => operation switch
    {
        UpsertOp op => model.Upsert(new ProjectUpsert(op.Key.Ecosystem, op.Key.Name) { Description = op.Description }),
        DeleteOp op => model.Delete(op.Key),
        AddEdgeOp op => model.AddEdge(op.From, op.To),
        RemoveEdgeOp op => model.RemoveEdge(op.From, op.To),
        ContributorOp op => model.CreateContributor(new NewContributor(op.Name) { Email = op.Email }),
        AssetOp op => model.CreateAsset(new NewAsset(op.Name, op.Type)),
        ContributionOp op => model.CreateContribution(
            new NewContribution(Resolve(model.ContributorIds, op.Contributor), Resolve(model.AssetIds, op.Asset), op.Cost, op.Score)),
        TickOp op => Advance(time, op.Ticks),
        _ => throw new InvalidOperationException($"unknown operation {operation}"),
    };

    /// <summary>Applies the operation to the store; references resolve through the model's ids (a contribution step leaves them unchanged).</summary>
    private static async Task<object> ApplyToStoreAsync(InMemoryGraphStore store, GraphModel model, Op operation) => operation switch
    {
        UpsertOp op => await store.UpsertProjectAsync(new ProjectUpsert(op.Key.Ecosystem, op.Key.Name) { Description = op.Description }),
        DeleteOp op => await store.DeleteProjectAsync(op.Key),
        AddEdgeOp op => await store.AddDependencyAsync(op.From, op.To),
        RemoveEdgeOp op => await store.RemoveDependencyAsync(op.From, op.To),
        ContributorOp op => await store.CreateContributorAsync(new NewContributor(op.Name) { Email = op.Email }),
        AssetOp op => await store.CreateAssetAsync(new NewAsset(op.Name, op.Type)),
        ContributionOp op => await store.CreateContributionAsync(
            new NewContribution(Resolve(model.ContributorIds, op.Contributor), Resolve(model.AssetIds, op.Asset), op.Cost, op.Score)),
        TickOp => "tick",
        _ => throw new InvalidOperationException($"unknown operation {operation}"),
    };

    private static string Advance(ManualTimeProvider time, long ticks)
    {
        time.Advance(TimeSpan.FromTicks(ticks));
        return "tick";
    }

    private static Guid Resolve(List<Guid> ids, int reference)
        => reference < 0 ? Guid.Empty : reference < ids.Count ? ids[reference] : MissingId;

    /// <summary>The value, or the exception type and message, as text (decimals keep their scale).</summary>
    private static async Task<string> OutcomeAsync(Func<Task<object>> action)
    {
        try
        {
            return $"ok {await action()}";
        }
        catch (StorageException ex)
        {
            return $"{ex.GetType().Name} {ex.Message}";
        }
    }

    private static string Lines<T>(IEnumerable<T> items) => string.Join('\n', items);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> stream)
    {
        var items = new List<T>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }

        return items;
    }

    private abstract record Op;

    private sealed record UpsertOp(ProjectKey Key, string? Description) : Op;

    private sealed record DeleteOp(ProjectKey Key) : Op;

    private sealed record AddEdgeOp(ProjectKey From, ProjectKey To) : Op;

    private sealed record RemoveEdgeOp(ProjectKey From, ProjectKey To) : Op;

    private sealed record ContributorOp(string Name, string? Email) : Op;

    private sealed record AssetOp(string Name, AssetType Type) : Op;

    private sealed record ContributionOp(int Contributor, int Asset, decimal Cost, decimal Score) : Op;

    private sealed record TickOp(long Ticks) : Op;
}
