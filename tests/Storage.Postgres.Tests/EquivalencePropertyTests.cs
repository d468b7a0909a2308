using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Npgsql;
using Storage.InMemory;

namespace Storage.Postgres.Tests;

/// <summary>
/// The equivalence property: random sequences of graph, task and clock steps (invalid inputs, missing references,
/// duplicate emails and ids, imports, concurrent claims among them) applied to fresh in-memory stores and to
/// PostgreSQL stores on emptied tables, with the same clock and id seeds, give identical results, identical error
/// types and messages, and identical final contents (every stream).
/// </summary>
[RequiresPostgres]
public sealed partial class EquivalencePropertyTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private const int IdSeed = 11;

    /// <summary>Workers of concurrent claims are named with this prefix, the step and a number; no other step uses it.</summary>
    private const string RacerPrefix = "racer-";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    [Fact]
    public async Task Random_sequences_give_identical_results_errors_and_contents_on_both_backends()
    {
        var sequences = Arb.From(SequenceGen, ShrinkByRemovingOne);
        var property = Prop.ForAll(sequences, RunAsync);

        // Off the test's synchronization context: FsCheck waits for each asynchronous run.
        await Task.Run(() => property.Check(Config.QuickThrowOnFailure.WithMaxTest(200)));
    }

    private async Task RunAsync(List<Op> operations)
    {
        var memory = Side.InMemory();
        var postgres = Side.Postgres(await database.EmptySchemaAsync());
        for (var step = 0; step < operations.Count; step++)
        {
            var operation = operations[step];
            switch (operation)
            {
                case TickOp:
                    await operation.ApplyAsync(memory);
                    await operation.ApplyAsync(postgres);
                    break;
                case ConcurrentClaimsOp claims:
                    await CompareConcurrentClaimsAsync(step, claims, memory, postgres);
                    break;
                default:
                    var expected = await OutcomeAsync(() => operation.ApplyAsync(memory));
                    var actual = await OutcomeAsync(() => operation.ApplyAsync(postgres));
                    AssertSame(step, operation, expected, actual);
                    break;
            }
        }

        await AssertSameContentsAsync(memory, postgres);
    }

    /// <summary>
    /// Each backend runs the claims at once; which racer wins may differ. Racer names aside (every comparison masks
    /// them, see <see cref="Serialize"/>), the outcomes must be the same multiset, with at most one winner (exactly
    /// one when the task was claimable), each winner holding the claim in its own name, and the task must end the
    /// same. Racers are named after their step and later steps claim with other names, so they behave alike
    /// whichever racer won.
    /// </summary>
    private static async Task CompareConcurrentClaimsAsync(int step, ConcurrentClaimsOp claims, Side memory, Side postgres)
    {
        var racers = Enumerable.Range(1, claims.Workers).Select(w => $"{RacerPrefix}{step}-{w}").ToArray();
        var id = memory.TaskId(claims.Id);
        var before = await OutcomeAsync(async () => await memory.Tasks.GetTaskAsync(id));
        AssertSame(step, claims, before, await OutcomeAsync(async () => await postgres.Tasks.GetTaskAsync(id)));

        var results = new List<string[]>();
        foreach (var side in new[] { memory, postgres })
        {
            // Concurrent callers read the clock in any order: it stands still for this step.
            var autoAdvance = side.Time.AutoAdvance;
            side.Time.AutoAdvance = TimeSpan.Zero;
            var outcomes = await Task.WhenAll(racers.Select(racer => Task.Run(async () =>
                (Racer: racer, Outcome: await OutcomeAsync(async () => await side.Tasks.ClaimTaskAsync(id, racer))))));
            side.Time.AutoAdvance = autoAdvance;

            var winners = outcomes.Where(o => o.Outcome.Value is not null).ToArray();
            Assert.True(winners.Length <= 1, $"step {step} {claims}: {winners.Length} winners");
            Assert.All(winners, w => Assert.Equal(w.Racer, ((AgentTask)w.Outcome.Value!).ClaimedBy));
            if (before.Value is AgentTask { Status: AgentTaskStatus.Pending or AgentTaskStatus.NeedsDecision })
            {
                Assert.True(winners.Length == 1, $"step {step} {claims}: a claimable task got {winners.Length} winners");
            }

            results.Add([.. outcomes.Select(o => o.Outcome.Text).Order(StringComparer.Ordinal)]);
        }

        Assert.True(
            results[0].SequenceEqual(results[1]),
            $"step {step} {claims}:\n memory:   {string.Join("\n           ", results[0])}\n postgres: {string.Join("\n           ", results[1])}");
        AssertSame(
            step,
            claims,
            await OutcomeAsync(async () => await memory.Tasks.GetTaskAsync(id)),
            await OutcomeAsync(async () => await postgres.Tasks.GetTaskAsync(id)));
    }

    private static async Task AssertSameContentsAsync(Side memory, Side postgres)
    {
        Assert.Equal(await ContentsAsync(memory), await ContentsAsync(postgres));
    }

    private static async Task<string[]> ContentsAsync(Side side) =>
    [
        Serialize(await ToListAsync(side.Graph.StreamProjectsAsync())),
        Serialize(await ToListAsync(side.Graph.StreamDependenciesAsync())),
        Serialize(await ToListAsync(side.Graph.StreamContributorsAsync())),
        Serialize(await ToListAsync(side.Graph.StreamAssetsAsync())),
        Serialize(await ToListAsync(side.Graph.StreamContributionsAsync())),
        Serialize(await ToListAsync(side.Tasks.StreamTasksAsync())),
        Serialize(await side.Tasks.CountTasksByStatusAsync()),
        Serialize(await side.Graph.CountProjectsAsync()),
    ];

    private static void AssertSame(int step, Op operation, (string Text, object? Value) expected, (string Text, object? Value) actual)
        => Assert.True(expected.Text == actual.Text, $"step {step} {operation}:\n memory:   {expected.Text}\n postgres: {actual.Text}");

    /// <summary>The value as JSON (every field, times to the tick, decimals with their scale), or the error's type and message.</summary>
    private static async Task<(string Text, object? Value)> OutcomeAsync(Func<Task<object?>> call)
    {
        try
        {
            var value = await call();
            return ("ok " + Serialize(value), value);
        }
        catch (Exception ex) when (ex is StorageException or ArgumentException)
        {
            return ($"{ex.GetType().Name}: {ex.Message}", null);
        }
    }

    /// <summary>JSON of <paramref name="value"/>, with the name of whichever racer won a concurrent claim masked.</summary>
    private static string Serialize(object? value)
        => value is null ? "null" : RacerName().Replace(JsonSerializer.Serialize(value, value.GetType(), Json), RacerPrefix + "*");

    [GeneratedRegex(RacerPrefix + "[0-9]+-[0-9]+")]
    private static partial Regex RacerName();

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>One backend's stores, clock and the ids its steps created (the same on both sides while they agree).</summary>
    private sealed class Side(IGraphStore graph, IAgentTaskStore tasks, ManualTimeProvider time)
    {
        public IGraphStore Graph { get; } = graph;

        public IAgentTaskStore Tasks { get; } = tasks;

        public ManualTimeProvider Time { get; } = time;

        public List<Guid> Contributors { get; } = [];

        public List<Guid> Assets { get; } = [];

        public List<Guid> Contributions { get; } = [];

        public string? LastTaskId { get; set; }

        public static Side InMemory()
        {
            var time = new ManualTimeProvider();
            var ids = new SequentialIdGenerator(IdSeed);
            return new Side(new InMemoryGraphStore(time, ids), new InMemoryAgentTaskStore(time, ids), time);
        }

        public static Side Postgres(NpgsqlDataSource dataSource)
        {
            var time = new ManualTimeProvider();
            var ids = new SequentialIdGenerator(IdSeed);
            return new Side(new PostgresGraphStore(dataSource, time, ids), new PostgresAgentTaskStore(dataSource, time, ids), time);
        }

        public string TaskId(string id) => id == LastGenerated ? LastTaskId ?? "t-none" : id;

        public Guid Contributor(int reference) => Resolve(Contributors, reference);

        public Guid Asset(int reference) => Resolve(Assets, reference);

        public Guid Contribution(int reference) => Resolve(Contributions, reference);

        /// <summary>-1: the empty id; 0..n-1: the entity created at that position, or else an import id; larger: a missing id.</summary>
        private static Guid Resolve(List<Guid> created, int reference)
            => reference < 0 ? Guid.Empty
                : reference < created.Count ? created[reference]
                : reference < 10 ? ImportIds[reference % ImportIds.Length]
                : MissingId;
    }
}
