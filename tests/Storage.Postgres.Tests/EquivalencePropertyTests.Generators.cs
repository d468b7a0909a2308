using FsCheck;
using FsCheck.Fluent;

namespace Storage.Postgres.Tests;

public sealed partial class EquivalencePropertyTests
{
    /// <summary>Resolved to the id of the last task created with a generated id.</summary>
    private const string LastGenerated = "@generated";

    private static readonly Gen<ProjectKey> HotKeyGen = Gen.Elements(
        new ProjectKey("npm", "a"), new ProjectKey(" NPM ", "A "), new ProjectKey("npm", "b"), new ProjectKey("PyPI", "É"),
        new ProjectKey("pypi", "é"), new ProjectKey("npm", "a_b"), new ProjectKey("npm", "%"));

    /// <summary>
    /// Mostly five keys (spelled in several ways that normalize alike), so that edges and lookups meet existing
    /// projects; sometimes an invalid key.
    /// </summary>
    private static readonly Gen<ProjectKey> KeyGen = Gen.Frequency(
        (10, HotKeyGen),
        (1, from ecosystem in Gen.Elements("", "n\0", "npm")
            from name in Gen.Elements("", "  ", "x\0y", "\\")
            select new ProjectKey(ecosystem, name)));

    /// <summary>Mostly the first entities created (0..2, the first most often), sometimes the empty id (-1) or a missing one (99).</summary>
    private static readonly Gen<int> ReferenceGen = Gen.Frequency(
        (1, Gen.Constant(-1)), (8, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(99)));

    private static readonly Gen<int> ImportIdGen = Gen.Frequency((1, Gen.Constant(-1)), (10, Gen.Choose(0, 2)));

    private static readonly Gen<int> LimitGen = Mostly([1, 2, 3, 20], 0, 101);

    private static readonly Gen<int> OffsetGen = Mostly([0, 0, 1, 2], -1);

    private static readonly Gen<int> SecondsGen = Gen.Frequency((6, Gen.Choose(0, 2)), (1, Gen.Constant(-3)));

    private static readonly Gen<string> TaskIdGen = Gen.Frequency(
        (12, Gen.Elements("t-1", "t-2")),
        (2, Gen.Constant(LastGenerated)),
        (1, Gen.Elements("bad id", "", "t\0")));

    private static readonly Gen<Op> GraphGen = Gen.Frequency(
        (6, from key in KeyGen
            from version in Gen.Elements<string?>(null, " 1.0 ", "")
            from description in Mostly<string?>([null, "Some TEXT", "a%b_c\\d", "  "], "bad\0")
            from homepage in Mostly<string?>([null, "https://example.com/x"], "not a url")
            select (Op)new UpsertOp(key, version, description, homepage)),
        (2, KeyGen.Select(key => (Op)new GetProjectOp(key))),
        (2, KeyGen.Select(key => (Op)new DeleteProjectOp(key))),
        (1, Gen.Constant((Op)new CountProjectsOp())),
        (2, from text in Mostly(["a", "B", "é", "%", "_", "\\", "text", " b "], "", "x\0")
            from limit in LimitGen
            select (Op)new SearchOp(text, limit)),
        (1, from after in Gen.Frequency((1, Gen.Constant<ProjectKey?>(null)), (2, KeyGen.Select(k => (ProjectKey?)k)))
            from limit in Mostly([1, 2, 1000], 0, 1001)
            select (Op)new ListProjectsOp(after, limit)),
        (5, from source in KeyGen from target in KeyGen select (Op)new AddEdgeOp(source, target)),
        (2, from source in KeyGen from target in KeyGen select (Op)new RemoveEdgeOp(source, target)),
        (3, from key in KeyGen from kind in Gen.Choose(0, 2) select (Op)new NeighboursOp(key, kind)),
        (2, from key in KeyGen from depth in Mostly([1, 2, 3, 20], 0, 21) select (Op)new TransitiveOp(key, depth)),
        (3, from name in Mostly(["Ada", "  Bob  ", "日本"], "", "x\0")
            from email in Mostly<string?>([null, "ada@x.io", " ADA@X.IO ", "bob@x.io", ""], "not-an-email", "a\0@x.io")
            from github in Gen.Elements<string?>(null, " ada ", "")
            select (Op)new CreateContributorOp(name, email, github)),
        (1, Mostly(["ada@x.io", "BOB@x.io"], "nope", "").Select(email => (Op)new FindContributorOp(email))),
        (2, from kind in Gen.Choose(0, 2) from reference in ReferenceGen select (Op)new GetLedgerOp(kind, reference)),
        (1, from kind in Gen.Choose(0, 1) from limit in LimitGen from offset in OffsetGen select (Op)new ListLedgerOp(kind, limit, offset)),
        (2, from name in Mostly(["model", " data "], "")
            from type in Mostly([AssetType.Code, AssetType.Data, AssetType.Model], (AssetType)17)
            from description in Gen.Elements<string?>(null, "kept  as is ", "")
            select (Op)new CreateAssetOp(name, type, description)),
        (5, from contributor in ReferenceGen
            from asset in ReferenceGen
            from cost in Mostly([0m, 0.10m, 2.5m, 999_999_999_999.99m], 1.005m, -1m)
            from score in Mostly([0m, 0.5m, 1m], 1.01m, 0.555m)
            select (Op)new CreateContributionOp(contributor, asset, cost, score)),
        (2, from asset in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, ReferenceGen.Select(r => (int?)r)))
            from contributor in Gen.Frequency((2, Gen.Constant<int?>(null)), (1, ReferenceGen.Select(r => (int?)r)))
            from limit in LimitGen
            from offset in OffsetGen
            select (Op)new ListContributionsOp(asset, contributor, limit, offset)),
        (2, BatchOf(
            from key in KeyGen
            from description in Gen.Elements<string?>(null, "Imported TEXT")
            from created in SecondsGen
            from updated in SecondsGen
            from subMicrosecond in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
            select new ProjectRow(key, description, created, updated, subMicrosecond)).Select(rows => (Op)new ImportProjectsOp(rows))),
        (2, BatchOf(from source in KeyGen from target in KeyGen select new DependencyEdge(source, target)).Select(edges => (Op)new ImportEdgesOp(edges))),
        (1, BatchOf(
            from id in ImportIdGen
            from name in Mostly(["Imported"], "")
            from email in Gen.Elements<string?>(null, "ada@x.io", "cy@x.io")
            from created in SecondsGen
            from updated in SecondsGen
            select new ContributorRow(id, name, email, created, updated)).Select(rows => (Op)new ImportContributorsOp(rows))),
        (1, BatchOf(
            from id in ImportIdGen
            from type in Gen.Elements(AssetType.Code, AssetType.Model)
            from created in SecondsGen
            from updated in SecondsGen
            select new AssetRow(id, "imported asset", type, created, updated)).Select(rows => (Op)new ImportAssetsOp(rows))),
        (1, BatchOf(
            from id in ImportIdGen
            from contributor in ReferenceGen
            from asset in ReferenceGen
            from cost in Mostly([1.10m, 0m], 0.001m)
            from created in SecondsGen
            select new ContributionRow(id, contributor, asset, cost, created)).Select(rows => (Op)new ImportContributionsOp(rows))));

    private static readonly Gen<AgentTaskUpdate> UpdateGen =
        from status in Gen.Frequency(
            (5, Gen.Constant<AgentTaskStatus?>(null)),
            (6, Gen.Elements(Enum.GetValues<AgentTaskStatus>()).Select(s => (AgentTaskStatus?)s)),
            (1, Gen.Constant<AgentTaskStatus?>((AgentTaskStatus)9)))
        from output in Gen.Elements<string?>(null, null, "out", "")
        from progress in Mostly<int?>([null, null, 0, 50, 100], -1, 101)
        from step in Mostly<string?>([null, null, "step", " s "], "  ")
        from prompt in Gen.Elements<string?>(null, null, "Proceed?")
        from decision in Mostly<string?>([null, "yes"], "\ud800")
        select new AgentTaskUpdate
        {
            Status = status,
            Output = output,
            Progress = progress,
            CurrentStep = step,
            DecisionPrompt = prompt,
            Decision = decision,
        };

    private static readonly Gen<Op> TaskGen = Gen.Frequency(
        (5, from id in Gen.Frequency((6, TaskIdGen.Select(id => (string?)id)), (2, Gen.Constant<string?>(null)))
            from direction in Mostly(["do it", "  padded  "], "", "nul\0")
            from type in Mostly(Enum.GetValues<AgentTaskType>(), (AgentTaskType)9)
            from model in Gen.Elements<string?>(null, " model ", "   ")
            select (Op)new CreateTaskOp(id == LastGenerated ? null : id, direction, type, model)),
        (2, TaskIdGen.Select(id => (Op)new GetTaskOp(id))),
        (5, from id in TaskIdGen from update in UpdateGen select (Op)new UpdateTaskOp(id, update)),
        (4, from id in TaskIdGen from worker in Mostly(["w1", "w2", " w1 ", "W1"], "", "w\0") select (Op)new ClaimTaskOp(id, worker)),
        (2, from id in TaskIdGen from workers in Gen.Choose(2, 4) select (Op)new ConcurrentClaimsOp(id, workers)),
        (2, from status in Gen.Frequency(
                (2, Gen.Constant<AgentTaskStatus?>(null)),
                (3, Gen.Elements(Enum.GetValues<AgentTaskStatus>()).Select(s => (AgentTaskStatus?)s)),
                (1, Gen.Constant<AgentTaskStatus?>((AgentTaskStatus)9)))
            from type in Gen.Frequency((3, Gen.Constant<AgentTaskType?>(null)), (1, Gen.Elements(Enum.GetValues<AgentTaskType>()).Select(t => (AgentTaskType?)t)))
            from limit in LimitGen
            from offset in OffsetGen
            select (Op)new ListTasksOp(new AgentTaskQuery { Status = status, TaskType = type, Limit = limit, Offset = offset })),
        (1, LimitGen.Select(limit => (Op)new AttentionOp(limit))),
        (1, Gen.Constant((Op)new CountTasksOp())),
        (2, BatchOf(
            from id in Mostly(["t-1", "t-2", "t-4"], "bad id")
            from status in Gen.Elements(Enum.GetValues<AgentTaskStatus>())
            from claimedBy in Gen.Elements<string?>(null, "w1", " w2 ")
            from claimedAt in Gen.Frequency((12, Gen.Constant(claimedBy is not null)), (1, Gen.Constant(claimedBy is null)))
            from progress in Mostly([0, 40, 100], 101)
            from created in SecondsGen
            from updated in SecondsGen
            select new TaskRow(id, status, claimedBy, claimedAt, progress, created, updated)).Select(rows => (Op)new ImportTasksOp(rows))));

    private static readonly Gen<Op> TickGen =
        from ticks in Gen.Elements(0L, 1L, 10L, 5_000L, TimeSpan.TicksPerSecond, -5 * TimeSpan.TicksPerSecond)
        from autoAdvance in Gen.Frequency((6, Gen.Constant(0L)), (1, Gen.Elements(1L, 10L, 7_000L)))
        select (Op)new TickOp(ticks, autoAdvance);

    /// <summary>Valid creations, so that the steps after them meet existing projects, ledger entries and tasks more often.</summary>
    private static readonly Gen<Op> SetupGen = Gen.Frequency(
        (5, HotKeyGen.Select(key => (Op)new UpsertOp(key, null, "Some TEXT", null))),
        (2, Gen.Elements("Ada", "Bob").Select(name => (Op)new CreateContributorOp(name, null, null))),
        (2, Gen.Constant((Op)new CreateAssetOp("model", AssetType.Model, null))),
        (1, Gen.Elements("t-1", "t-2").Select(id => (Op)new CreateTaskOp(id, "do it", AgentTaskType.Impl, null))));

    /// <summary>Graph, task and clock steps, mixed.</summary>
    private static readonly Gen<Op> OperationGen = Gen.Frequency((10, GraphGen), (8, TaskGen), (2, TickGen));

    /// <summary>Up to 12 setup steps, then any steps.</summary>
    private static readonly Gen<List<Op>> SequenceGen =
        from setup in Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(SetupGen, n))
        from steps in Gen.ListOf(OperationGen)
        select setup.Concat(steps).ToList();

    /// <summary>Mostly valid choices, each with a few that break one rule.</summary>
    private static Gen<T> Mostly<T>(T[] valid, params T[] invalid)
        => Gen.Frequency((9, Gen.Elements(valid)), (1, Gen.Elements(invalid)));

    /// <summary>Import batches of 0 to 3 records (small pools make a key named twice, a validation error, common enough).</summary>
    private static Gen<T[]> BatchOf<T>(Gen<T> row) => Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(row, n));

    private static IEnumerable<List<Op>> ShrinkByRemovingOne(List<Op> operations)
        => Enumerable.Range(0, operations.Count).Select(i => operations.Where((_, j) => j != i).ToList());
}
