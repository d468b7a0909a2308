using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>
/// Property tests of <see cref="InMemoryAgentTaskStore"/>: random operation sequences against a reference model
/// written from docs/contracts.md, and random concurrent claims and updates against the store's invariants.
/// </summary>
public sealed partial class AgentTaskStorePropertyTests
{
    private const string LastGenerated = "@generated";

    /// <summary>Mostly ids that exist or will, some unknown ones, the last generated id, and a few invalid ones.</summary>
    private static readonly Gen<string> IdGen = Gen.Frequency(
        (12, Gen.Elements("t-1", "t-2", "t-3")),
        (2, Gen.Elements("t-9", LastGenerated)),
        (1, Gen.Elements("bad id", "")));

    /// <summary>Mostly valid choices, each with a few that break one rule.</summary>
    private static Gen<T> Mostly<T>(T[] valid, params T[] invalid)
        => Gen.Frequency((8, Gen.Elements(valid)), (1, Gen.Elements(invalid)));

    private static readonly Gen<Operation> OperationGen = Gen.Frequency(
        (3, from id in Gen.Frequency((6, IdGen.Select(id => (string?)id)), (2, Gen.Constant<string?>(null)))
            from direction in Mostly(["do it", "  padded  "], "", "   ", "nul\0", new string('x', 5_001))
            from type in Mostly(Enum.GetValues<AgentTaskType>(), (AgentTaskType)9)
            from model in Gen.Elements<string?>(null, " model ", "   ")
            select (Operation)new CreateOperation(new NewAgentTask(direction, type) { Id = id, Model = model })),
        (5, from id in IdGen
            from status in Gen.Frequency(
                (5, Gen.Constant<AgentTaskStatus?>(null)),
                (6, Gen.Elements(Enum.GetValues<AgentTaskStatus>()).Select(s => (AgentTaskStatus?)s)),
                (1, Gen.Constant<AgentTaskStatus?>((AgentTaskStatus)9)))
            from output in Gen.Elements<string?>(null, null, "out", "")
            from progress in Mostly<int?>([null, null, 0, 50, 100], -1, 101)
            from step in Mostly<string?>([null, null, "step", " s "], "  ")
            from prompt in Gen.Elements<string?>(null, null, "Proceed?")
            from decision in Mostly<string?>([null, "yes"], "\ud800")
            select (Operation)new UpdateOperation(id, new AgentTaskUpdate
            {
                Status = status,
                Output = output,
                Progress = progress,
                CurrentStep = step,
                DecisionPrompt = prompt,
                Decision = decision,
            })),
        (4, from id in IdGen
            from worker in Mostly(["w1", "w2", " w1 ", "W1"], "", "  ")
            select (Operation)new ClaimOperation(id, worker)),
        (1, IdGen.Select(id => (Operation)new GetOperation(id))),
        (2, Gen.Elements(0L, 1L, 15L, TimeSpan.TicksPerSecond).Select(ticks => (Operation)new AdvanceOperation(ticks))));

    [Fact]
    public async Task Random_operation_sequences_give_the_same_results_and_errors_as_the_reference_model()
    {
        var sequences = Arb.From(Gen.ListOf(OperationGen), ShrinkByRemovingOne);
        var property = Prop.ForAll(sequences, RunAgainstModelAsync);

        // Off the test's synchronization context: FsCheck waits for each asynchronous run.
        await Task.Run(() => property.Check(Config.QuickThrowOnFailure.WithMaxTest(300)));
    }

    private static async Task RunAgainstModelAsync(List<Operation> operations)
    {
        var time = new ManualTimeProvider();
        var store = new InMemoryAgentTaskStore(time, new SequentialIdGenerator(seed: 5));
        var model = new TaskModel(time, new SequentialIdGenerator(seed: 5));

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case CreateOperation create:
                    AssertSameOutcome(Run(() => model.Create(create.Task)), await RunAsync(async () => await store.CreateTaskAsync(create.Task)));
                    break;
                case UpdateOperation update:
                    var updateId = model.Resolve(update.Id);
                    AssertSameOutcome(
                        Run(() => model.Update(updateId, update.Changes)),
                        await RunAsync(async () => await store.UpdateTaskAsync(updateId, update.Changes)));
                    break;
                case ClaimOperation claim:
                    var claimId = model.Resolve(claim.Id);
                    AssertSameOutcome(
                        Run(() => model.Claim(claimId, claim.Worker)),
                        await RunAsync(async () => await store.ClaimTaskAsync(claimId, claim.Worker)));
                    break;
                case GetOperation get:
                    var getId = model.Resolve(get.Id);
                    AssertSameOutcome(Run(() => model.Get(getId)), await RunAsync(async () => await store.GetTaskAsync(getId)));
                    break;
                case AdvanceOperation advance:
                    time.Advance(TimeSpan.FromTicks(advance.Ticks));
                    break;
            }
        }

        await AssertSameContentsAsync(model, store);
    }

    [Fact]
    public async Task Concurrent_claims_and_updates_keep_counts_whole_and_never_give_a_task_to_two_workers()
    {
        var steps = from task in Gen.Choose(0, 5)
                    from claim in Gen.Elements(true, true, false)
                    from status in Gen.Elements(AgentTaskStatus.Running, AgentTaskStatus.Completed, AgentTaskStatus.Failed)
                    from decision in Gen.Elements<string?>(null, "go")
                    select new ConcurrentStep(task, claim, status, decision);
        var plans = from tasks in Gen.Choose(1, 6)
                    from asking in Gen.Choose(0, tasks)
                    from actors in Gen.Choose(2, 6)
                    from work in Gen.ListOf(Gen.Choose(1, 15).SelectMany(n => Gen.ListOf(steps, n)), actors)
                    select new ConcurrentPlan(tasks, asking, work.Select(w => w.ToArray()).ToArray());
        var property = Prop.ForAll(Arb.From(plans), RunConcurrentlyAsync);

        await Task.Run(() => property.Check(Config.QuickThrowOnFailure.WithMaxTest(100)));
    }

    /// <summary>
    /// Runs every actor's steps in parallel. Updates never put a task back to pending or needs-decision, so once
    /// a worker has claimed a task no other worker may ever claim it.
    /// </summary>
    private static async Task RunConcurrentlyAsync(ConcurrentPlan plan)
    {
        var store = new InMemoryAgentTaskStore(new ManualTimeProvider { AutoAdvance = TimeSpan.FromMicroseconds(1) }, new SequentialIdGenerator());
        var ids = Enumerable.Range(0, plan.Tasks).Select(i => $"t-{i}").ToArray();
        foreach (var id in ids)
        {
            await store.CreateTaskAsync(new NewAgentTask("work", AgentTaskType.Impl) { Id = id });
        }

        foreach (var id in ids.Take(plan.Asking))
        {
            await store.UpdateTaskAsync(id, new AgentTaskUpdate { Status = AgentTaskStatus.NeedsDecision });
        }

        var claims = new ConcurrentBag<(string Task, string Worker)>();
        using var done = new CancellationTokenSource();
        var observer = Task.Run(async () =>
        {
            do
            {
                Assert.Equal(plan.Tasks, (await store.CountTasksByStatusAsync()).Total);
            }
            while (!done.IsCancellationRequested);
        });
        var actors = plan.Actors.Select((steps, actor) => Task.Run(async () =>
        {
            var worker = $"worker-{actor}";
            foreach (var step in steps)
            {
                var id = ids[step.Task % ids.Length];
                if (!step.Claim)
                {
                    await store.UpdateTaskAsync(id, new AgentTaskUpdate { Status = step.Status, Decision = step.Decision });
                    continue;
                }

                try
                {
                    var claimed = await store.ClaimTaskAsync(id, worker);
                    Assert.Equal((AgentTaskStatus.Running, worker), (claimed.Status, claimed.ClaimedBy));
                    claims.Add((id, worker));
                }
                catch (StorageConflictException)
                {
                    // Claimed by another worker, or no longer claimable: both are expected under contention.
                }
            }
        })).ToArray();

        await Task.WhenAll(actors);
        await done.CancelAsync();
        await observer;

        var claimers = claims.GroupBy(c => c.Task).ToDictionary(g => g.Key, g => Assert.Single(g.Select(c => c.Worker).Distinct()));
        var final = new List<AgentTask>();
        await foreach (var task in store.StreamTasksAsync())
        {
            final.Add(task);
            Assert.Equal(claimers.GetValueOrDefault(task.Id), task.ClaimedBy);
        }

        var counts = await store.CountTasksByStatusAsync();
        Assert.Equal(plan.Tasks, counts.Total);
        Assert.Equal(final.Count(t => t.Status == AgentTaskStatus.Running), counts.Running);
        Assert.Equal(final.Count(t => t.Status == AgentTaskStatus.Pending), counts.Pending);
        Assert.Equal(final.Count(t => t.Status == AgentTaskStatus.NeedsDecision), counts.NeedsDecision);
    }

    private static async Task AssertSameContentsAsync(TaskModel model, InMemoryAgentTaskStore store)
    {
        var streamed = new List<AgentTask>();
        await foreach (var task in store.StreamTasksAsync())
        {
            streamed.Add(task);
        }

        var tasks = model.Tasks;
        Assert.Equal(tasks.OrderBy(t => t.Id, StorageOrdering.Text), streamed);

        var newestFirst = tasks.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id, StorageOrdering.Text).ToArray();
        var page = await store.ListTasksAsync(new AgentTaskQuery { Limit = 100 });
        Assert.Equal(newestFirst.Take(100), page.Items);
        Assert.Equal(tasks.Count, page.Total);

        var attention = tasks
            .Where(t => t.Status is AgentTaskStatus.NeedsDecision or AgentTaskStatus.Failed)
            .OrderByDescending(t => t.UpdatedAt)
            .ThenByDescending(t => t.Id, StorageOrdering.Text)
            .Take(100);
        Assert.Equal(attention, await store.ListAttentionTasksAsync(100));

        long Count(AgentTaskStatus status) => tasks.Count(t => t.Status == status);
        Assert.Equal(
            new AgentTaskCounts(
                Count(AgentTaskStatus.Pending), Count(AgentTaskStatus.Running), Count(AgentTaskStatus.Completed),
                Count(AgentTaskStatus.Failed), Count(AgentTaskStatus.NeedsDecision)),
            await store.CountTasksByStatusAsync());
    }

    private static (AgentTask? Value, StorageException? Error) Run(Func<AgentTask?> operation)
    {
        try
        {
            return (operation(), null);
        }
        catch (StorageException error)
        {
            return (null, error);
        }
    }

    private static async Task<(AgentTask? Value, StorageException? Error)> RunAsync(Func<Task<AgentTask?>> operation)
    {
        try
        {
            return (await operation(), null);
        }
        catch (StorageException error)
        {
            return (null, error);
        }
    }

    private static void AssertSameOutcome((AgentTask? Value, StorageException? Error) expected, (AgentTask? Value, StorageException? Error) actual)
    {
        Assert.Equal(expected.Error?.GetType(), actual.Error?.GetType());
        Assert.Equal(expected.Error?.Message, actual.Error?.Message);
        Assert.Equal(expected.Value, actual.Value);
    }

    private static IEnumerable<List<Operation>> ShrinkByRemovingOne(List<Operation> operations)
        => Enumerable.Range(0, operations.Count).Select(i => operations.Where((_, j) => j != i).ToList());

    private abstract record Operation;

    private sealed record CreateOperation(NewAgentTask Task) : Operation;

    private sealed record UpdateOperation(string Id, AgentTaskUpdate Changes) : Operation;

    private sealed record ClaimOperation(string Id, string Worker) : Operation;

    private sealed record GetOperation(string Id) : Operation;

    private sealed record AdvanceOperation(long Ticks) : Operation;

    private sealed record ConcurrentStep(int Task, bool Claim, AgentTaskStatus Status, string? Decision);

    private sealed record ConcurrentPlan(int Tasks, int Asking, ConcurrentStep[][] Actors);
}
