using Npgsql;
using Storage.InMemory;
using Storage.Postgres;
using Xunit.Abstractions;

namespace Storage.DualWrite.Tests;

/// <summary>
/// A real PostgreSQL server, primary in phase 4, stopped (<c>pg_ctl stop -m fast</c>) while several workers write and
/// started again: the calls that reach it while it is down fail with an Npgsql error (bounded, none hangs) and change
/// nothing in memory; every acknowledged write is in PostgreSQL with its acknowledged value and, once the journal is
/// drained, in memory too; and the two backends end equal. On a server of its own, so the shared one stays up.
/// </summary>
[RequiresPostgres]
public sealed class PostgresPrimaryOutageTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int ProjectsPerWorker = 6;

    /// <summary>No store call may take longer: a call that does is hanging on the dead server.</summary>
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_stopped_primary_fails_calls_cleanly_and_loses_no_acknowledged_write()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("primary_outage"))
        {
            MaxPoolSize = 10,
            Timeout = 2,
            CommandTimeout = 5,
        }.ConnectionString;
        await using var dataSource = PostgresStorageDataSource.Create(connectionString, "storage");
        await PostgresMigrator.ApplyAsync(dataSource, "storage");

        var time = new ManualTimeProvider { AutoAdvance = TimeSpan.FromMilliseconds(1) };
        var ids = new SequentialIdGenerator();
        var resilience = new PostgresResilience(1, TimeSpan.FromMilliseconds(10));
        var source = new InMemoryGraphStore(time, ids);
        var target = new PostgresGraphStore(dataSource, time, ids, resilience);
        var sourceTasks = new InMemoryAgentTaskStore(time, ids);
        var targetTasks = new PostgresAgentTaskStore(dataSource, time, ids, resilience);
        using var harness = new DualWriteHarness(source, target, sourceTasks, targetTasks, MigrationFlags.For(MigrationPhase.TargetPrimary));

        var ledgers = Enumerable.Range(0, Workers).Select(w => new WorkerLedger(w)).ToArray();
        using var stop = new CancellationTokenSource();
        var workers = ledgers.Select(ledger => Task.Run(() => RunWorkerAsync(harness, ledger, stop.Token))).ToArray();
        try
        {
            await WaitForAsync(() => ledgers.All(l => l.Acknowledged >= 10), "every worker acknowledged 10 writes", workers);

            await server.StopAsync();
            var failedBefore = ledgers.Select(l => l.Failed).ToArray();
            await WaitForAsync(() => ledgers.All(l => l.Failed >= failedBefore[l.Worker] + 5), "every worker saw 5 failed writes", workers);
            await Task.Delay(300); // keep writing against the stopped server a while longer
            await server.StartAsync();

            var acknowledgedAtRestart = ledgers.Select(l => l.Acknowledged).ToArray();
            await WaitForAsync(() => ledgers.All(l => l.Acknowledged >= acknowledgedAtRestart[l.Worker] + 10), "every worker acknowledged 10 writes after the restart", workers);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        output.WriteLine(
            $"acknowledged {ledgers.Sum(l => l.Acknowledged)}, failed {ledgers.Sum(l => l.Failed)} "
            + $"({string.Join(", ", ledgers.SelectMany(l => l.Errors).Distinct().Order(StringComparer.Ordinal))}), journaled {harness.Journal.PendingCount}");

        // A failed call changed nothing in memory: a task whose creation failed is not there (before any repair).
        foreach (var (id, expected) in ledgers.SelectMany(l => l.Tasks))
        {
            if (expected.Acknowledged is null)
            {
                Assert.Null(await sourceTasks.GetTaskAsync(id));
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await harness.Reconciler.DrainAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, harness.Journal.PendingCount);
        foreach (var (key, expected) in ledgers.SelectMany(l => l.Projects))
        {
            var stored = await target.GetProjectAsync(key);
            expected.AssertHolds(stored, p => p.Description ?? "", key.ToString());
            Assert.Equal(stored, await source.GetProjectAsync(key));
        }

        foreach (var (id, expected) in ledgers.SelectMany(l => l.Tasks))
        {
            var stored = await targetTasks.GetTaskAsync(id);
            expected.AssertHolds(stored, t => t.Output ?? t.Direction, id);
            Assert.Equal(stored, await sourceTasks.GetTaskAsync(id));
        }

        await StoreAssert.EqualAsync(source, target);
        await StoreAssert.EqualAsync(sourceTasks, targetTasks);
    }

    /// <summary>
    /// Upserts the worker's projects, creates a task and updates it, over and over, until <paramref name="stop"/>.
    /// A call that fails with an <see cref="NpgsqlException"/> is recorded as not acknowledged; any other error, or a
    /// call that takes longer than <see cref="CallBound"/>, ends the worker and fails the test.
    /// </summary>
    private static async Task RunWorkerAsync(DualWriteHarness harness, WorkerLedger ledger, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var step = $"w{ledger.Worker} step {i}";
            var key = new ProjectKey("npm", $"w{ledger.Worker}-p{i % ProjectsPerWorker}");
            var project = ledger.Projects.GetValueOrDefault(key) ?? (ledger.Projects[key] = new Expected<Project>());
            var upserted = await TryAsync(ledger, () => harness.Graph.UpsertProjectAsync(new ProjectUpsert(key.Ecosystem, key.Name) { Description = step }));
            project.Record(upserted, step);
            if (upserted is not null)
            {
                await ReadBackAsync(ledger, upserted, () => harness.Graph.GetProjectAsync(key));
            }

            var id = $"w{ledger.Worker}-t{i}";
            var task = ledger.Tasks[id] = new Expected<AgentTask>();
            var created = await TryAsync(ledger, () => harness.Tasks.CreateTaskAsync(new NewAgentTask(step, AgentTaskType.Impl) { Id = id }));
            task.Record(created, step);
            if (created is null)
            {
                await Task.Delay(5, CancellationToken.None); // the server is down: do not spin
                continue;
            }

            var output = $"{step} output";
            var updated = await TryAsync(ledger, () => harness.Tasks.UpdateTaskAsync(id, new AgentTaskUpdate { Progress = i % 100, Output = output }));
            task.Record(updated, output);
            if (updated is not null)
            {
                await ReadBackAsync(ledger, updated, () => harness.Tasks.GetTaskAsync(id));
            }
        }
    }

    /// <summary>The value of an acknowledged write, or null (counted as a failure) when the call failed with an Npgsql error.</summary>
    private static async Task<T?> TryAsync<T>(WorkerLedger ledger, Func<Task<T>> write)
        where T : class
    {
        try
        {
            var result = await write().WaitAsync(CallBound);
            ledger.Acknowledge();
            return result;
        }
        catch (NpgsqlException ex)
        {
            ledger.Fail(ex);
            return null;
        }
    }

    /// <summary>A read of the caller's own acknowledged write returns it, unless the read itself fails with an Npgsql error.</summary>
    private static async Task ReadBackAsync<T>(WorkerLedger ledger, T written, Func<Task<T?>> read)
        where T : class
    {
        try
        {
            Assert.Equal(written, await read().WaitAsync(CallBound));
        }
        catch (NpgsqlException ex)
        {
            ledger.Fail(ex);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, Task[] workers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            // A worker that ended early failed: surface its error rather than waiting for the deadline.
            if (workers.FirstOrDefault(w => w.IsCompleted) is { } ended)
            {
                await ended;
                Assert.Fail($"a worker ended before {what}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>What one worker wrote; only its own thread writes it, the test reads the counters while it runs.</summary>
    private sealed class WorkerLedger(int worker)
    {
        private int _acknowledged;
        private int _failed;

        public int Worker { get; } = worker;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public int Failed => Volatile.Read(ref _failed);

        public Dictionary<ProjectKey, Expected<Project>> Projects { get; } = [];

        public Dictionary<string, Expected<AgentTask>> Tasks { get; } = [];

        /// <summary>The types of the errors seen (with the SQLSTATE of a server error).</summary>
        public HashSet<string> Errors { get; } = [];

        public void Acknowledge() => Interlocked.Increment(ref _acknowledged);

        public void Fail(NpgsqlException error)
        {
            Errors.Add(error is PostgresException pg ? $"{error.GetType().Name} {pg.SqlState}" : error.GetType().Name);
            Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>
    /// The last acknowledged value of one key, and the values of the writes that failed after it: a failed write may
    /// still have reached PostgreSQL before the connection broke, so one of those may be what is stored instead.
    /// </summary>
    private sealed class Expected<T>
        where T : class
    {
        private readonly List<string> _unacknowledged = [];

        public T? Acknowledged { get; private set; }

        public void Record(T? acknowledged, string attempted)
        {
            if (acknowledged is null)
            {
                _unacknowledged.Add(attempted);
                return;
            }

            Acknowledged = acknowledged;
            _unacknowledged.Clear();
        }

        /// <summary>
        /// Nothing failed after the last acknowledged write: it is stored exactly. Otherwise what is stored is that
        /// write or one of the failed ones after it (identified by <paramref name="marker"/>), never an older value.
        /// </summary>
        public void AssertHolds(T? stored, Func<T, string> marker, string key)
        {
            if (_unacknowledged.Count == 0)
            {
                Assert.NotNull(Acknowledged);
                Assert.Equal(Acknowledged, stored);
                return;
            }

            if (stored is null)
            {
                Assert.True(Acknowledged is null, $"{key}: the acknowledged write is lost");
                return;
            }

            Assert.True(
                Equals(stored, Acknowledged) || _unacknowledged.Contains(marker(stored)),
                $"{key}: stored {marker(stored)}, expected the acknowledged {(Acknowledged is null ? "nothing" : marker(Acknowledged))} or one of [{string.Join(", ", _unacknowledged)}]");
        }
    }
}
