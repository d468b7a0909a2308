using Storage.InMemory;

namespace Storage.DualWrite.Tests;

/// <summary>
/// Both decorators over four stores, with their flags, a journal in a temporary file, the coordinator and a reconciler.
/// Disposing removes the journal file when the harness created it.
/// </summary>
internal sealed class DualWriteHarness : IDisposable
{
    private readonly bool _ownsJournal;

    public DualWriteHarness(
        IGraphStore sourceGraph,
        IGraphStore targetGraph,
        IAgentTaskStore sourceTasks,
        IAgentTaskStore targetTasks,
        MigrationFlags flags,
        string? journalPath = null,
        DualWriteOptions? options = null,
        TimeProvider? resilienceTime = null)
    {
        _ownsJournal = journalPath is null;
        JournalPath = journalPath ?? TempJournalPath();
        Options = options ?? FastOptions();
        Options.JournalPath = JournalPath;
        Flags = new MigrationFlagsMonitor(flags);
        Journal = RepairJournal.Open(JournalPath);
        Coordinator = new DualWriteCoordinator(Flags, Journal, Options, resilienceTime);
        Graph = new DualWriteGraphStore(sourceGraph, targetGraph, Coordinator);
        Tasks = new DualWriteAgentTaskStore(sourceTasks, targetTasks, Coordinator);
        Reconciler = new DualWriteReconciler(Coordinator, Options, resilienceTime);
    }

    public string JournalPath { get; }

    public DualWriteOptions Options { get; }

    public MigrationFlagsMonitor Flags { get; }

    public RepairJournal Journal { get; }

    public DualWriteCoordinator Coordinator { get; }

    public DualWriteGraphStore Graph { get; }

    public DualWriteAgentTaskStore Tasks { get; }

    public DualWriteReconciler Reconciler { get; }

    /// <summary>In-memory stores on both sides, sharing the given clock and ids.</summary>
    public static DualWriteHarness InMemory(MigrationFlags flags, TimeProvider time, IStorageIdGenerator ids, string? journalPath = null)
        => new(
            new InMemoryGraphStore(time, ids),
            new InMemoryGraphStore(time, ids),
            new InMemoryAgentTaskStore(time, ids),
            new InMemoryAgentTaskStore(time, ids),
            flags,
            journalPath);

    /// <summary>Short timeouts and no retry pause, so failures in tests cost little time.</summary>
    public static DualWriteOptions FastOptions() => new()
    {
        SecondaryTimeout = TimeSpan.FromMilliseconds(200),
        SecondaryRetries = 1,
        SecondaryRetryDelay = TimeSpan.Zero,
        BreakerMinimumThroughput = 5,
        BreakerSamplingDuration = TimeSpan.FromSeconds(5),
        BreakerBreakDuration = TimeSpan.FromSeconds(1),
        ReconcileBatchSize = 1000,
    };

    public static string TempJournalPath()
        => Path.Combine(Path.GetTempPath(), "storage-dualwrite-tests", $"journal-{Guid.NewGuid():N}.jsonl");

    /// <summary>Drains the journal and asserts the two backends hold the same data.</summary>
    public async Task AssertConvergedAsync()
    {
        Assert.Equal(0, await Reconciler.DrainAsync(20));
        await StoreAssert.EqualAsync(Graph.Source, Graph.Target);
        await StoreAssert.EqualAsync(Tasks.Source, Tasks.Target);
    }

    public void Dispose()
    {
        Coordinator.Dispose();
        Journal.Dispose();
        Flags.Dispose();
        if (_ownsJournal)
        {
            File.Delete(JournalPath);
        }
    }
}
