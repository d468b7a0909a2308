using System.Reflection;
using Storage.Consistency.Tests.Support;
using Storage.InMemory;

namespace Storage.Consistency.Tests;

public sealed class RepairTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ConsistencyEngine _engine = new(new ManualTimeProvider(Stores.Epoch.AddYears(10)));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RepairAsync_backfills_an_empty_target_from_a_snapshot_in_batches()
    {
        var data = new DataGen(21).NewDataSet(30);
        var path = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        await using var source = await SnapshotFileSource.OpenAsync(path);
        await using var target = await Stores.LoadAsync(new DataSet(), "empty");
        var progress = new ConsistencyProgress();

        var result = await _engine.RepairAsync(source, target, new RepairOptions { BatchSize = 7 }, new ConsistencyCheckOptions { Progress = progress });

        Assert.True(result.Repair.IsComplete);
        Assert.Equal(data.Count, result.Repair.Written);
        Assert.Equal(data.Count, progress.RecordsWritten);
        Assert.Equal(data.Count, result.Check.MissingInTarget);
        Assert.Equal(ConsistencyPhase.Completed, progress.Phase);
        await using var again = await SnapshotFileSource.OpenAsync(path);
        Assert.True((await _engine.CheckAsync(again, target)).IsConsistent);
    }

    [Fact]
    public async Task RepairAsync_dry_run_writes_nothing_and_lists_what_it_would_do()
    {
        var data = new DataGen(22).NewDataSet(8);
        var target = data.Copy();
        target.Projects.Add(new DataGen(99).NewProject());
        target.Tasks.RemoveAt(0);
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");
        var before = await DataSet.ReadAsync(b.Graph, b.Tasks);

        var result = await _engine.RepairAsync(a, b, new RepairOptions { DryRun = true, DeleteExtras = true });

        Assert.False(result.Repair.IsComplete);
        Assert.Equal([RecordKey.AgentTask(data.Tasks[0].Id)], result.Repair.Kinds[(int)RecordKind.AgentTask].WrittenSample);
        Assert.Equal([RecordKey.Project(target.Projects[^1].Key)], result.Repair.Kinds[(int)RecordKind.Project].DeletedSample);
        var after = await DataSet.ReadAsync(b.Graph, b.Tasks);
        Assert.Empty(Oracle.Differences(before, after));
    }

    [Fact]
    public async Task RepairAsync_from_a_bad_snapshot_writes_nothing()
    {
        var path = await SnapshotFiles.WriteAsync(new DataGen(23).NewDataSet(10), _folder.File("s.jsonl"));
        foreach (var (name, bad, _) in SnapshotFiles.BadCopies(path).Where(b => b.Name is "truncated" or "out of order" or "wrong count" or "corrupt"))
        {
            await using var target = await Stores.LoadAsync(new DataSet(), "empty");
            await Assert.ThrowsAsync<SnapshotFormatException>(async () =>
            {
                await using var source = await SnapshotFileSource.OpenAsync(bad);
                await _engine.RepairAsync(source, target);
            });
            Assert.True((await DataSet.ReadAsync(target.Graph, target.Tasks)).Count == 0, name);
        }
    }

    [Fact]
    public async Task RepairAsync_keeps_extras_unless_asked_and_reports_the_kinds_it_cannot_delete()
    {
        var gen = new DataGen(24);
        var data = gen.NewDataSet(6);
        var target = data.Copy();
        target.Projects.Add(gen.NewProject());
        target.Contributors.Add(gen.NewContributor());
        target.Tasks.Add(gen.NewTask());
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");

        var kept = await _engine.RepairAsync(a, b);
        var deleted = await _engine.RepairAsync(a, b, new RepairOptions { DeleteExtras = true });

        Assert.Equal(3, kept.Repair.Kinds.Sum(k => k.ExtrasKept));
        Assert.False(kept.Repair.IsComplete);
        Assert.Equal(1, deleted.Repair.Deleted);
        Assert.Equal(2, deleted.Repair.Kinds.Sum(k => k.ExtrasNotDeletable));
        var left = await _engine.CheckAsync(a, b);
        Assert.Equal(2, left.ExtraInTarget);
        Assert.Equal(0, left.MissingInTarget + left.Different);
    }

    [Fact]
    public async Task RepairAsync_does_not_write_records_that_differ_only_in_derived_fields()
    {
        var data = new DataGen(25).NewDataSet(6);
        var target = data.Copy();
        var edge = target.Edges[0];
        target.Edges.RemoveAt(0);
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");

        var result = await _engine.RepairAsync(a, b);

        Assert.Equal(1, result.Repair.Kinds[(int)RecordKind.Project].DerivedOnly);
        Assert.Equal(0, result.Repair.Kinds[(int)RecordKind.Project].Written);
        Assert.Equal([RecordKey.Dependency(edge)], result.Repair.Kinds[(int)RecordKind.Dependency].WrittenSample);
        Assert.True((await _engine.CheckAsync(a, b)).IsConsistent);
    }

    [Fact]
    public async Task RepairAsync_writes_the_rest_of_a_batch_the_target_refuses_and_names_the_refused_record()
    {
        var gen = new DataGen(26);
        var data = gen.NewDataSet(4);
        var taken = data.Contributors[0] with { Email = "taken@example.org" };
        data.Contributors[0] = taken;
        data.Contributors.Add(gen.NewContributor());
        var target = new DataSet { Contributors = [gen.NewContributor() with { Email = "taken@example.org" }] };
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");

        var result = await _engine.RepairAsync(a, b);

        var contributors = result.Repair.Kinds[(int)RecordKind.Contributor];
        Assert.Equal(1, contributors.Failed);
        Assert.Equal([RecordKey.Contributor(taken.Id)], contributors.FailedSample);
        Assert.Contains("taken@example.org", contributors.FirstFailure, StringComparison.Ordinal);
        Assert.Equal(data.Contributors.Count - 1, contributors.Written);
        Assert.Equal(data.Projects.Count, result.Repair.Kinds[(int)RecordKind.Project].Written);
    }

    [Fact]
    public async Task RepairAsync_with_a_recheck_writes_only_what_is_still_different()
    {
        var data = new DataGen(27).NewDataSet(5);
        var target = data.Copy();
        var inFlight = target.Tasks[0];
        var stale = target.Tasks[1];
        target.Tasks.Remove(inFlight);
        target.Tasks[0] = stale with { Output = "stale" };
        await using var a = await Stores.LoadAsync(data, "a");
        await using var b = await Stores.LoadAsync(target, "b");
        var progress = new ConsistencyProgress();

        var repair = _engine.RepairAsync(a, b, options: new ConsistencyCheckOptions { RecheckDelay = TimeSpan.FromSeconds(1), Progress = progress });
        while (progress.Phase != ConsistencyPhase.Waiting && !repair.IsCompleted)
        {
            await Task.Delay(10);
        }

        await b.Tasks.ImportTasksAsync([inFlight]);
        var result = await repair;

        Assert.Equal([RecordKey.AgentTask(stale.Id)], result.Repair.Kinds[(int)RecordKind.AgentTask].WrittenSample);
        Assert.Equal(1, result.Check.Recheck!.Resolved);
        Assert.True((await _engine.CheckAsync(a, b)).IsConsistent);
    }

    [Fact]
    public async Task RepairAsync_failing_after_batches_were_committed_says_how_many()
    {
        var data = new DataGen(29).NewDataSet(5);
        await using var source = new FailingTasksSource(await Stores.LoadAsync(data, "a"));
        await using var target = await Stores.LoadAsync(new DataSet(), "b");

        var error = await Assert.ThrowsAsync<RepairStoppedException>(() => _engine.RepairAsync(source, target));

        var written = data.Count - data.Tasks.Count;
        Assert.Equal(written, error.Committed);
        Assert.IsType<SnapshotFormatException>(error.InnerException);
        Assert.StartsWith($"The repair stopped after {written:N0} records were written or deleted: s.jsonl line 9:", error.Message, StringComparison.Ordinal);
        Assert.Equal(data.Projects.Count, (await target.Graph.StreamProjectsAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task RepairAsync_cancelled_after_batches_were_committed_says_how_many_and_is_still_a_cancellation()
    {
        var data = new DataGen(32).NewDataSet(5);
        using var cancel = new CancellationTokenSource();
        await using var source = new CancellingTasksSource(await Stores.LoadAsync(data, "a"), cancel);
        await using var target = await Stores.LoadAsync(new DataSet(), "b");

        var error = await Assert.ThrowsAsync<RepairCancelledException>(() => _engine.RepairAsync(source, target, cancellationToken: cancel.Token));

        Assert.Equal(data.Count - data.Tasks.Count, error.Committed);
        Assert.False(error.FinishingLoad);
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Equal(data.Projects.Count, (await target.Graph.StreamProjectsAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task RepairAsync_counts_the_records_a_record_by_record_retry_committed_before_it_failed()
    {
        var data = new DataGen(31).NewDataSet(8);
        await using var source = await Stores.LoadAsync(data, "a");
        var (graph, tasks) = Stores.NewPair();
        var flaky = DispatchProxy.Create<IGraphStore, FlakyContributorImports>();
        ((FlakyContributorImports)(object)flaky).Inner = graph;
        await using var target = new LiveStoreSource(flaky, tasks, "b");

        var error = await Assert.ThrowsAsync<RepairStoppedException>(() => _engine.RepairAsync(source, target));

        // The contributors' batch is refused whole, so they go one by one; the third import fails with no answer.
        Assert.Equal("connection lost", error.InnerException!.Message);
        Assert.Equal(data.Projects.Count + data.Edges.Count + 2, error.Committed);
        Assert.Equal(2, (await graph.StreamContributorsAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task RepairAsync_failing_before_anything_was_committed_throws_the_failure_itself()
    {
        var data = new DataGen(30).NewDataSet(5);
        await using var source = new FailingTasksSource(await Stores.LoadAsync(data, "a"));
        await using var target = await Stores.LoadAsync(new DataSet(), "b");

        await Assert.ThrowsAsync<SnapshotFormatException>(() => _engine.RepairAsync(source, target, new RepairOptions { DryRun = true }));
    }

    [Fact]
    public async Task RepairAsync_from_a_snapshot_leaves_records_changed_since_the_snapshot()
    {
        var time = new ManualTimeProvider(Stores.Epoch.AddYears(1));
        var data = new DataGen(28).NewDataSet(5);
        var path = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"), time);
        var (graph, tasks) = Stores.NewPair(time);
        await data.ImportAsync(graph, tasks);
        time.Advance(TimeSpan.FromMinutes(1));
        var updated = await tasks.UpdateTaskAsync(data.Tasks[0].Id, new AgentTaskUpdate { Output = "newer than the snapshot" });
        var asset = data.Assets[0].Id;
        await graph.CreateContributionAsync(new NewContribution(data.Contributors[0].Id, asset, 4.00m, 0.5m));   // moves the asset's total
        await using var source = await SnapshotFileSource.OpenAsync(path);
        await using var target = new LiveStoreSource(graph, tasks, "live");

        var result = await _engine.RepairAsync(source, target);

        Assert.Equal(3, result.Check.ChangedSinceSnapshot);
        Assert.Equal([RecordKey.Asset(asset)], result.Check[RecordKind.Asset].ChangedSample);
        Assert.Equal(0, result.Repair.Written);
        Assert.True(result.Repair.IsComplete);
        Assert.Equal(updated, await tasks.GetTaskAsync(updated.Id));

        // What the repair called done, a check agrees with: the same three are changed, none differs.
        await using var again = await SnapshotFileSource.OpenAsync(path);
        var check = await _engine.CheckAsync(again, target);
        Assert.Equal((0L, 3L), (check.Differences, check.ChangedSinceSnapshot));
    }

    /// <summary>A source whose tasks stream fails as a snapshot found bad at its end would.</summary>
    private sealed class FailingTasksSource(IConsistencySource inner) : ForwardingSource(inner)
    {
        public override string Description => "failing";

        public override async IAsyncEnumerable<AgentTask> StreamTasksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw new SnapshotFormatException("s.jsonl", 9, "has data after the end line");
#pragma warning disable CS0162 // An iterator needs a yield.
            yield break;
#pragma warning restore CS0162
        }
    }

    /// <summary>A source whose tasks stream cancels the repair (as Ctrl-C would, once the kinds before them are written).</summary>
    private sealed class CancellingTasksSource(IConsistencySource inner, CancellationTokenSource cancel) : ForwardingSource(inner)
    {
        public override async IAsyncEnumerable<AgentTask> StreamTasksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await cancel.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            yield break;
        }
    }

    /// <summary>
    /// A graph store whose contributor imports fail: a batch is refused (a conflict), and the third single import fails
    /// as a lost connection would. Every other call goes to <see cref="Inner"/>.
    /// </summary>
    public class FlakyContributorImports : DispatchProxy
    {
        private int _singles;

        public IGraphStore Inner { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IGraphStore.ImportContributorsAsync) && args![0] is IReadOnlyCollection<Contributor> batch)
            {
                if (batch.Count > 1)
                {
                    return Task.FromException<int>(new StorageConflictException("refused whole"));
                }

                if (++_singles == 3)
                {
                    return Task.FromException<int>(new InvalidOperationException("connection lost"));
                }
            }

            return targetMethod.Invoke(Inner, args);
        }
    }
}
