using Storage.InMemory;

namespace Storage.DualWrite.Tests;

/// <summary>
/// Where reads go. The two inner stores are given different descriptions for the same projects, so the answer tells
/// which backend served it.
/// </summary>
public sealed class RoutingTests : IDisposable
{
    private const int KeyCount = 400;

    private readonly ManualTimeProvider _time = new();
    private readonly FaultInjector _faults = new();
    private readonly InMemoryGraphStore _source;
    private readonly InMemoryGraphStore _target;
    private readonly DualWriteHarness _harness;

    public RoutingTests()
    {
        var ids = new SequentialIdGenerator();
        _source = new InMemoryGraphStore(_time, ids);
        _target = new InMemoryGraphStore(_time, ids);
        _harness = new DualWriteHarness(
            _source,
            new FaultyGraphStore(_target, _faults),
            new InMemoryAgentTaskStore(_time, ids),
            new InMemoryAgentTaskStore(_time, ids),
            MigrationFlags.For(MigrationPhase.DualWrite));
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Keyed_reads_are_sticky_and_raising_the_percent_only_adds_keys()
    {
        await SeedDifferentBackendsAsync();
        var servedByTarget = new HashSet<int>();
        foreach (var percent in new[] { 0, 10, 20, 50, 80, 100 })
        {
            _harness.Flags.Set(percent == 0 ? MigrationFlags.For(MigrationPhase.DualWrite) : MigrationFlags.For(MigrationPhase.ReadShift, percent));
            var now = await TargetServedAsync();

            Assert.Equal(now, await TargetServedAsync());
            Assert.Superset(servedByTarget, now);
            Assert.InRange(now.Count, (KeyCount * percent / 100) - 40, (KeyCount * percent / 100) + 40);
            servedByTarget = now;
        }

        Assert.Equal(KeyCount, servedByTarget.Count);
    }

    [Fact]
    public async Task Lowering_the_percent_moves_back_exactly_the_keys_it_moved()
    {
        await SeedDifferentBackendsAsync();
        _harness.Flags.Set(MigrationFlags.For(MigrationPhase.ReadShift, 30));
        var at30 = await TargetServedAsync();
        _harness.Flags.Set(MigrationFlags.For(MigrationPhase.ReadShift, 60));
        _ = await TargetServedAsync();
        _harness.Flags.Set(MigrationFlags.For(MigrationPhase.ReadShift, 30));

        Assert.Equal(at30, await TargetServedAsync());
    }

    [Fact]
    public async Task Reads_without_a_key_are_shared_per_call()
    {
        await _source.UpsertProjectAsync(new ProjectUpsert("npm", "only-in-source"));
        _harness.Flags.Set(MigrationFlags.For(MigrationPhase.ReadShift, 25));

        var counts = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            counts.Add(await _harness.Graph.CountProjectsAsync());
        }

        Assert.Equal(25, counts.Count(c => c == 0));
        Assert.Equal(75, counts.Count(c => c == 1));
    }

    [Theory]
    [InlineData(MigrationPhase.SourceOnly, "source")]
    [InlineData(MigrationPhase.DualWrite, "source")]
    [InlineData(MigrationPhase.TargetPrimary, "target")]
    [InlineData(MigrationPhase.TargetOnly, "target")]
    public async Task Phases_without_a_read_share_read_one_backend(MigrationPhase phase, string expected)
    {
        await SeedDifferentBackendsAsync();
        _harness.Flags.Set(MigrationFlags.For(phase));

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(expected, (await _harness.Graph.GetProjectAsync(Key(i)))!.Description);
        }
    }

    [Fact]
    public async Task A_key_whose_last_write_missed_the_target_is_read_from_the_source_until_repaired()
    {
        _harness.Flags.Set(MigrationFlags.For(MigrationPhase.ReadShift, 100));
        await _harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "p") { Description = "v1" });
        _faults.Down = true;
        await _harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", "p") { Description = "v2" });
        _faults.Down = false;

        Assert.Equal("v1", (await _target.GetProjectAsync(new ProjectKey("npm", "p")))!.Description);
        Assert.Equal("v2", (await _harness.Graph.GetProjectAsync(new ProjectKey("NPM", " P ")))!.Description);
        Assert.Equal(1, _harness.Journal.PendingCount);

        Assert.Equal(0, await _harness.Reconciler.DrainAsync());
        Assert.Equal("v2", (await _target.GetProjectAsync(new ProjectKey("npm", "p")))!.Description);
    }

    [Fact]
    public async Task Reads_routed_to_a_failing_target_are_served_by_the_source_while_it_is_authoritative()
    {
        await SeedDifferentBackendsAsync();
        _harness.Flags.Set(MigrationFlags.For(MigrationPhase.ReadShift, 100));
        _faults.Down = true;

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("source", (await _harness.Graph.GetProjectAsync(Key(i)))!.Description);
            Assert.Equal(KeyCount, await _harness.Graph.CountProjectsAsync());
        }
    }

    private static ProjectKey Key(int i) => new("npm", $"package-{i}");

    private async Task SeedDifferentBackendsAsync()
    {
        for (var i = 0; i < KeyCount; i++)
        {
            await _source.UpsertProjectAsync(new ProjectUpsert("npm", $"package-{i}") { Description = "source" });
            await _target.UpsertProjectAsync(new ProjectUpsert("npm", $"package-{i}") { Description = "target" });
        }
    }

    private async Task<HashSet<int>> TargetServedAsync()
    {
        var served = new HashSet<int>();
        for (var i = 0; i < KeyCount; i++)
        {
            if ((await _harness.Graph.GetProjectAsync(Key(i)))!.Description == "target")
            {
                served.Add(i);
            }
        }

        return served;
    }
}
