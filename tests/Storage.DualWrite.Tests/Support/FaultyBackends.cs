using Storage.InMemory;

namespace Storage.DualWrite.Tests;

/// <summary>
/// In-memory source and target stores (graph and tasks) sharing one clock and id source, each behind a
/// <see cref="FaultInjector"/>, so a test can fail or slow either side and still compare the real contents.
/// </summary>
internal sealed class FaultyBackends
{
    public FaultyBackends(TimeProvider? time = null, IStorageIdGenerator? ids = null)
    {
        time ??= new ManualTimeProvider { AutoAdvance = TimeSpan.FromMilliseconds(1) };
        ids ??= new SequentialIdGenerator();
        SourceGraph = new InMemoryGraphStore(time, ids);
        TargetGraph = new InMemoryGraphStore(time, ids);
        SourceTasks = new InMemoryAgentTaskStore(time, ids);
        TargetTasks = new InMemoryAgentTaskStore(time, ids);
    }

    public FaultInjector SourceFaults { get; } = new();

    public FaultInjector TargetFaults { get; } = new();

    public InMemoryGraphStore SourceGraph { get; }

    public InMemoryGraphStore TargetGraph { get; }

    public InMemoryAgentTaskStore SourceTasks { get; }

    public InMemoryAgentTaskStore TargetTasks { get; }

    /// <summary>A harness over these stores (behind their fault injectors).</summary>
    public DualWriteHarness Harness(MigrationFlags flags, string? journalPath = null, TimeProvider? resilienceTime = null, DualWriteOptions? options = null)
        => new(
            new FaultyGraphStore(SourceGraph, SourceFaults),
            new FaultyGraphStore(TargetGraph, TargetFaults),
            new FaultyAgentTaskStore(SourceTasks, SourceFaults),
            new FaultyAgentTaskStore(TargetTasks, TargetFaults),
            flags,
            journalPath,
            options,
            resilienceTime);

    /// <summary>Asserts that the real contents of both sides are equal.</summary>
    public async Task AssertEqualAsync()
    {
        await StoreAssert.EqualAsync(SourceGraph, TargetGraph);
        await StoreAssert.EqualAsync(SourceTasks, TargetTasks);
    }
}
