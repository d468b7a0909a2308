using FsCheck;
using FsCheck.Fluent;
using Storage.Consistency.Tests.Support;

namespace Storage.Consistency.Tests;

/// <summary>
/// For two random store pairs, the second a copy of the first with random drift injected in every kind (records
/// missing, extra, or with changed fields), the check reports exactly the injected differences, nothing more; and after
/// a repair, the check is clean except for what the contracts cannot delete.
/// </summary>
public sealed class DiffPropertyTests
{
    private static readonly RecordKind[] Kinds = [.. RecordKinds.All];
    private static readonly DriftAction[] Actions = Enum.GetValues<DriftAction>();

    [Fact]
    public void Check_reports_exactly_the_injected_drift_and_repair_leaves_only_undeletable_extras()
    {
        var op = from kind in Gen.Elements(Kinds)
                 from action in Gen.Elements(Actions)
                 from index in Gen.Choose(0, 1_000)
                 from field in Gen.Choose(0, 100)
                 select new DriftOp(kind, action, index, field);
        var scenario = from seed in Gen.Choose(0, 1_000_000)
                       from size in Gen.Choose(0, 14)
                       from drift in Gen.ListOf(op)
                       select (seed, size, drift);

        Prop.ForAll(
                scenario.ToArbitrary(),
                s => Task.Run(() => CheckAndRepairAsync(s.seed, s.size, s.drift)).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure();
    }

    private static async Task<bool> CheckAndRepairAsync(int seed, int size, IReadOnlyList<DriftOp> drift)
    {
        var gen = new DataGen(seed);
        var source = gen.NewDataSet(size);
        var target = source.Copy();
        foreach (var op in drift)
        {
            DriftInjector.Apply(target, gen, op);
        }

        await using var sourceSide = await Stores.LoadAsync(source, "source");
        await using var targetSide = await Stores.LoadAsync(target, "target");
        var engine = new ConsistencyEngine(new ManualTimeProvider(Stores.Epoch.AddYears(10)));
        var options = new ConsistencyCheckOptions { SampleSize = 100_000, SinkBatchSize = 3 };

        // The check finds exactly what was injected.
        var sink = new CollectingSink();
        var report = await engine.CheckAsync(sourceSide, targetSide, options, sink);
        var expected = Oracle.Differences(source, target);
        Assert.Equal(expected, Oracle.Lines(sink.Drifts));
        Assert.Equal(expected.Count, report.Differences);
        Assert.Equal(0, report.ChangedSinceSnapshot);
        Assert.Equal(expected.Count == 0, report.IsConsistent);
        foreach (var kind in report.Kinds)
        {
            var keys = source.Records(kind.Kind).Select(r => r.Key).Union(target.Records(kind.Kind).Select(r => r.Key)).Count();
            Assert.Equal(keys, kind.Compared);
            Assert.Equal(kind.Compared, kind.Equal + kind.Differences);
            Assert.Equal(source.Records(kind.Kind).Count(), kind.SourceRecords);
            Assert.Equal(target.Records(kind.Kind).Count(), kind.TargetRecords);
            Assert.Equal(kind.MissingInTarget + kind.ExtraInTarget + kind.Different, kind.MissingSample.Count + kind.ExtraSample.Count + kind.DifferentSample.Count);
        }

        // The repair copies the source over and deletes extra projects and edges; extras of the other kinds stay.
        var repair = await engine.RepairAsync(sourceSide, targetSide, new RepairOptions { DeleteExtras = true, BatchSize = 4 }, options);
        Assert.Equal(0, repair.Repair.Failed);
        var expectedTarget = Repaired(source, target);
        var after = await engine.CheckAsync(sourceSide, targetSide, options, sink = new CollectingSink());
        Assert.Equal(Oracle.Differences(source, expectedTarget), Oracle.Lines(sink.Drifts));
        var undeletable = expectedTarget.Count - source.Count - (expectedTarget.Projects.Count - source.Projects.Count) - (expectedTarget.Edges.Count - source.Edges.Count);
        Assert.Equal(undeletable == 0, after.IsConsistent);
        Assert.Equal(after.ExtraInTarget, repair.Repair.Kinds.Sum(k => k.ExtrasNotDeletable));

        // Running it again changes nothing.
        var again = await engine.RepairAsync(sourceSide, targetSide, new RepairOptions { DeleteExtras = true }, options);
        Assert.Equal(0, again.Repair.Written + again.Repair.Deleted);
        return true;
    }

    /// <summary>What the target holds after a repair with deletes: the source, plus the target's extras that cannot be deleted.</summary>
    private static DataSet Repaired(DataSet source, DataSet target)
    {
        var repaired = source.Copy();
        repaired.Contributors.AddRange(target.Contributors.Where(c => !source.Contributors.Any(s => s.Id == c.Id)));
        repaired.Assets.AddRange(target.Assets.Where(a => !source.Assets.Any(s => s.Id == a.Id)));
        repaired.Contributions.AddRange(target.Contributions.Where(c => !source.Contributions.Any(s => s.Id == c.Id)));
        repaired.Tasks.AddRange(target.Tasks.Where(t => !source.Tasks.Any(s => s.Id == t.Id)));
        return repaired;
    }
}
