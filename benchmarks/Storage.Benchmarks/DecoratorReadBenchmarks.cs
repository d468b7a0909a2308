using BenchmarkDotNet.Attributes;
using Storage.Abstractions;
using Storage.DualWrite;
using Storage.InMemory;

namespace Storage.Benchmarks;

/// <summary>What the decorator adds to a keyed read, with in-memory stores on both sides.</summary>
[MemoryDiagnoser]
public class DecoratorReadBenchmarks : IDisposable
{
    private readonly string _journalPath = Path.Combine(Path.GetTempPath(), $"bench-journal-{Environment.ProcessId}.jsonl");
    private InMemoryGraphStore _bare = null!;
    private DualWriteGraphStore _dualWrite = null!;
    private DualWriteGraphStore _readShift = null!;
    private ProjectKey _key;

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var ids = new GuidV7IdGenerator(time);
        _bare = new InMemoryGraphStore(time, ids);
        var target = new InMemoryGraphStore(time, ids);
        for (var i = 0; i < 1_000; i++)
        {
            var project = DataSet.Project(i);
            _bare.ImportProjectsAsync([project]).GetAwaiter().GetResult();
            target.ImportProjectsAsync([project]).GetAwaiter().GetResult();
        }

        _key = DataSet.Key(7);
        var journal = RepairJournal.Open(_journalPath);
        _dualWrite = new DualWriteGraphStore(_bare, target, new DualWriteCoordinator(new MigrationFlagsMonitor(new MigrationFlags(true, 0, false, false)), journal));
        _readShift = new DualWriteGraphStore(_bare, target, new DualWriteCoordinator(new MigrationFlagsMonitor(new MigrationFlags(true, 50, false, false)), journal));
    }

    [Benchmark(Baseline = true)]
    public Task<Project?> BareInMemory() => _bare.GetProjectAsync(_key);

    [Benchmark]
    public Task<Project?> DualWritePhase() => _dualWrite.GetProjectAsync(_key);

    [Benchmark]
    public Task<Project?> ReadShift50Percent() => _readShift.GetProjectAsync(_key);

    public void Dispose()
    {
        File.Delete(_journalPath);
        GC.SuppressFinalize(this);
    }
}
