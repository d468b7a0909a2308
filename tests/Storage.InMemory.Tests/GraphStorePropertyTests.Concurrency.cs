using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Storage.InMemory.Tests;

public sealed partial class GraphStorePropertyTests
{
    private const int PoolProjects = 8;
    private const int PoolContributors = 3;
    private const int PoolAssets = 4;
    private const int PoolImportedIds = 10;

    private static readonly decimal[] ValidCosts = [0m, 0.01m, 0.10m, 1.25m, 999_999_999_999.99m];

    private static Gen<ProjectKey> PoolKeyGen => Gen.Choose(0, PoolProjects - 1).Select(i => new ProjectKey("npm", $"p{i}"));

    private static Gen<Op> ConcurrentOperationGen => Gen.Frequency(
        (2, PoolKeyGen.Select(key => (Op)new UpsertOp(key, null))),
        (1, PoolKeyGen.Select(key => (Op)new DeleteOp(key))),
        (6, from source in PoolKeyGen from target in PoolKeyGen select (Op)new AddEdgeOp(source, target)),
        (3, from source in PoolKeyGen from target in PoolKeyGen select (Op)new RemoveEdgeOp(source, target)),
        (2, Gen.ArrayOf(from source in PoolKeyGen from target in PoolKeyGen select new DependencyEdge(source, target), 3).Select(edges => (Op)new ImportEdgesOp(edges))),
        (5, from contributor in Gen.Choose(0, PoolContributors - 1) from asset in Gen.Choose(0, PoolAssets - 1) from cost in Gen.Elements(ValidCosts)
            select (Op)new ContributionOp(contributor, asset, cost, 0.5m)),
        (4, from id in Gen.Choose(0, PoolImportedIds - 1) from contributor in Gen.Choose(0, PoolContributors - 1)
            from asset in Gen.Choose(0, PoolAssets - 1) from cost in Gen.Elements(ValidCosts)
            select (Op)new ImportContributionOp(id, contributor, asset, cost)),
        (3, PoolKeyGen.Select(key => (Op)new ReadOp(key))));

    private static async Task RunConcurrentlyAsync(Op[][] workloads)
    {
        var time = new ManualTimeProvider { AutoAdvance = TimeSpan.FromTicks(3) };
        var store = new InMemoryGraphStore(time, new SequentialIdGenerator());
        for (var i = 0; i < PoolProjects; i++)
        {
            await store.UpsertProjectAsync(new ProjectUpsert("npm", $"p{i}"));
        }

        var contributors = new List<Guid>();
        var assets = new List<Guid>();
        for (var i = 0; i < PoolContributors; i++)
        {
            contributors.Add((await store.CreateContributorAsync(new NewContributor($"c{i}"))).Id);
        }

        for (var i = 0; i < PoolAssets; i++)
        {
            assets.Add((await store.CreateAssetAsync(new NewAsset($"a{i}", AssetType.Code))).Id);
        }

        await Task.WhenAll(workloads.Select(operations => Task.Run(() => RunWorkloadAsync(store, operations, contributors, assets))));

        await AssertDerivedValuesExactAsync(store);
    }

    private static async Task RunWorkloadAsync(InMemoryGraphStore store, Op[] operations, List<Guid> contributors, List<Guid> assets)
    {
        foreach (var operation in operations)
        {
            try
            {
                Task task = operation switch
                {
                    UpsertOp op => store.UpsertProjectAsync(new ProjectUpsert(op.Key.Ecosystem, op.Key.Name)),
                    DeleteOp op => store.DeleteProjectAsync(op.Key),
                    AddEdgeOp op => store.AddDependencyAsync(op.From, op.To),
                    RemoveEdgeOp op => store.RemoveDependencyAsync(op.From, op.To),
                    ImportEdgesOp op => store.ImportDependenciesAsync(op.Edges),
                    ContributionOp op => store.CreateContributionAsync(new NewContribution(contributors[op.Contributor], assets[op.Asset], op.Cost, op.Score)),
                    ImportContributionOp op => store.ImportContributionsAsync([new Contribution(
                        ImportedId(op.Id), contributors[op.Contributor], assets[op.Asset], op.Cost, 0.25m, JsonMetadata.Empty, ManualTimeProvider.DefaultStart)]),
                    ReadOp op => ReadAsync(store, op.Key, assets),
                    _ => throw new InvalidOperationException($"unknown operation {operation}"),
                };
                await task;
            }
            catch (EntityNotFoundException)
            {
                // A project deleted by another thread: expected.
            }
            catch (StorageValidationException ex) when (ex.Field is "dependency" or "batch")
            {
                // A random self-edge, or an import batch that names an edge twice: expected.
            }
        }
    }

    /// <summary>Reads that run while other threads write; what they return must be internally consistent.</summary>
    private static async Task ReadAsync(InMemoryGraphStore store, ProjectKey key, List<Guid> assets)
    {
        var dependencies = await store.GetDependenciesAsync(key);
        Assert.Equal(dependencies.Count, dependencies.DistinctBy(p => p.Key).Count());
        await store.GetTransitiveDependenciesAsync(key, StorageLimits.MaxDepth);
        foreach (var assetId in assets)
        {
            var asset = await store.GetAssetAsync(assetId);
            Assert.True(asset!.TotalCost >= 0m && asset.TotalCost.Scale == 2, $"total {asset.TotalCost}");
        }
    }

    private static async Task AssertDerivedValuesExactAsync(InMemoryGraphStore store)
    {
        var projects = await ToListAsync(store.StreamProjectsAsync());
        var edges = await ToListAsync(store.StreamDependenciesAsync());
        var keys = projects.Select(p => p.Key).ToHashSet();
        Assert.All(edges, e => Assert.True(keys.Contains(e.From) && keys.Contains(e.To), $"dangling edge {e}"));
        foreach (var project in projects)
        {
            var outgoing = edges.Where(e => e.From == project.Key).Select(e => e.To).ToArray();
            var incoming = edges.Where(e => e.To == project.Key).Select(e => e.From).ToArray();
            Assert.Equal(outgoing.Length, project.DependencyCount);
            Assert.Equal(outgoing, (await store.GetDependenciesAsync(project.Key)).Select(p => p.Key));
            Assert.Equal(incoming.Length, await store.CountDependentsAsync(project.Key));
            Assert.Equal(incoming.Order(StorageOrdering.ProjectKey), (await store.GetDependentsAsync(project.Key)).Select(p => p.Key));
        }

        var contributions = await ToListAsync(store.StreamContributionsAsync());
        foreach (var asset in await ToListAsync(store.StreamAssetsAsync()))
        {
            var sum = contributions.Where(c => c.AssetId == asset.Id).Aggregate(0.00m, (total, c) => total + c.CostAmount);
            Assert.Equal(sum.ToString(CultureInfo.InvariantCulture), asset.TotalCost.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static Guid ImportedId(int index) => Guid.Parse($"cccccccc-0000-4000-8000-{index:D12}");

    private sealed record ImportEdgesOp(DependencyEdge[] Edges) : Op;

    private sealed record ImportContributionOp(int Id, int Contributor, int Asset, decimal Cost) : Op;

    private sealed record ReadOp(ProjectKey Key) : Op;
}
