using FsCheck;
using FsCheck.Fluent;

namespace Storage.DualWrite.Tests;

/// <summary>
/// Random operation sequences, with random target failures and delays and random flag flips: whatever happens, once
/// the reconciler has drained the journal the two backends are equal, and no target failure fails a call while the
/// source is authoritative.
/// </summary>
public sealed class DualWritePropertyTests
{
    private static readonly string[] Names = ["a", "b", "c", "d"];
    private static readonly string?[] Emails = [null, "x@y.io", "z@y.io"];
    private static readonly string[] TaskIds = ["t-1", "t-2", "t-3"];

    private static Gen<MigrationFlags> FlagsGen => Gen.Elements(
        MigrationFlags.Off,
        MigrationFlags.For(MigrationPhase.DualWrite),
        MigrationFlags.For(MigrationPhase.ReadShift, 30),
        MigrationFlags.For(MigrationPhase.ReadShift, 100),
        MigrationFlags.For(MigrationPhase.TargetPrimary),
        MigrationFlags.For(MigrationPhase.TargetOnly));

    private static Gen<Fault> FaultGen => Gen.Frequency(
        (12, Gen.Constant(Fault.None)),
        (3, Gen.Constant(new Fault(FaultKind.FailBefore))),
        (3, Gen.Constant(new Fault(FaultKind.FailAfter))),
        (2, Gen.Choose(1, 3).Select(ms => new Fault(FaultKind.Delay, ms))));

    private static Gen<Op> OpGen => Gen.Frequency(
        (5, from n in Gen.Elements(Names) from d in Gen.Elements("x", "y", "z") select (Op)new Upsert(n, d)),
        (2, Gen.Elements(Names).Select(n => (Op)new Delete(n))),
        (4, from a in Gen.Elements(Names) from b in Gen.Elements(Names) select (Op)new AddEdge(a, b)),
        (2, from a in Gen.Elements(Names) from b in Gen.Elements(Names) select (Op)new RemoveEdge(a, b)),
        (2, Gen.Elements(Emails).Select(e => (Op)new NewContributorOp(e))),
        (2, Gen.Constant((Op)new NewAssetOp())),
        (3, from c in Gen.Choose(0, 2) from a in Gen.Choose(0, 2) from cost in Gen.Elements(0.5m, 2m, 10.25m) select (Op)new Contribute(c, a, cost)),
        (2, Gen.Elements(TaskIds).Select(id => (Op)new CreateTask(id))),
        (3, from id in Gen.Elements(TaskIds) from p in Gen.Choose(0, 100) select (Op)new UpdateTask(id, p)),
        (2, from id in Gen.Elements(TaskIds) from w in Gen.Elements("w1", "w2") select (Op)new ClaimTask(id, w)),
        (3, FlagsGen.Select(f => (Op)new Flip(f))));

    [Fact]
    public void After_reconciliation_the_backends_are_always_equal()
    {
        var steps = from op in OpGen from fault in FaultGen select (op, fault);
        var sequences = Gen.Choose(1, 40).SelectMany(length => Gen.ArrayOf(steps, length));

        Prop.ForAll(Arb.From(sequences), RunAsync).QuickCheckThrowOnFailure();
    }

    private static async Task RunAsync((Op Op, Fault Fault)[] steps)
    {
        var resilienceTime = new ManualTimeProvider();
        var backends = new FaultyBackends();
        using var harness = backends.Harness(MigrationFlags.For(MigrationPhase.DualWrite), resilienceTime: resilienceTime);
        var state = new World(harness);
        for (var i = 0; i < steps.Length; i++)
        {
            var (op, fault) = steps[i];
            var targetAuthoritative = harness.Flags.Current.Authoritative == BackendRole.Target;

            // A lost answer from the authoritative backend is the caller's to handle (the call fails); keep those clean.
            var applied = targetAuthoritative && fault.Kind == FaultKind.FailAfter ? new Fault(FaultKind.FailBefore) : fault;
            backends.TargetFaults.Next = () => applied;
            try
            {
                await op.ApplyAsync(state);
            }
            catch (StorageException)
            {
                // An answer of the store (not found, conflict, invalid): both backends agree on it.
            }
            catch (Exception ex) when (targetAuthoritative && ex is InjectedFaultException)
            {
                // The target is authoritative: its failure fails the call, cleanly.
            }
            catch (KeyRepairPendingException)
            {
                // The key's latest state is only on the other backend, which did not answer: refused, nothing written.
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"step {i} ({op}, target {applied}) failed in {harness.Flags.Current.Phase}", ex);
            }
            finally
            {
                backends.TargetFaults.Next = static () => Fault.None;
            }
        }

        resilienceTime.Advance(TimeSpan.FromMinutes(1));
        var left = await harness.Reconciler.DrainAsync(50);
        Assert.True(left == 0, $"not repaired: {string.Join("; ", harness.Journal.Pending().Select(p => $"{p.Key} from {p.Value}"))}");
        await backends.AssertEqualAsync();
    }

    private sealed class World(DualWriteHarness harness)
    {
        public DualWriteHarness Harness { get; } = harness;

        public List<Guid> Contributors { get; } = [];

        public List<Guid> Assets { get; } = [];

        public static ProjectKey Key(string name) => new("npm", name);

        public static Guid Pick(List<Guid> ids, int index) => index < ids.Count ? ids[index] : Guid.Parse("0f000000-0000-4000-8000-0000000000ff");
    }

    private abstract record Op
    {
        public abstract Task ApplyAsync(World world);
    }

    private sealed record Upsert(string Name, string Description) : Op
    {
        public override Task ApplyAsync(World world) => world.Harness.Graph.UpsertProjectAsync(new ProjectUpsert("npm", Name) { Description = Description });
    }

    private sealed record Delete(string Name) : Op
    {
        public override Task ApplyAsync(World world) => world.Harness.Graph.DeleteProjectAsync(World.Key(Name));
    }

    private sealed record AddEdge(string From, string To) : Op
    {
        public override Task ApplyAsync(World world) => world.Harness.Graph.AddDependencyAsync(World.Key(From), World.Key(To));
    }

    private sealed record RemoveEdge(string From, string To) : Op
    {
        public override Task ApplyAsync(World world) => world.Harness.Graph.RemoveDependencyAsync(World.Key(From), World.Key(To));
    }

    private sealed record NewContributorOp(string? Email) : Op
    {
        public override async Task ApplyAsync(World world)
            => world.Contributors.Add((await world.Harness.Graph.CreateContributorAsync(new NewContributor("c") { Email = Email })).Id);
    }

    private sealed record NewAssetOp : Op
    {
        public override async Task ApplyAsync(World world)
            => world.Assets.Add((await world.Harness.Graph.CreateAssetAsync(new NewAsset("a", AssetType.Code))).Id);
    }

    private sealed record Contribute(int Contributor, int Asset, decimal Cost) : Op
    {
        public override Task ApplyAsync(World world)
            => world.Harness.Graph.CreateContributionAsync(new NewContribution(World.Pick(world.Contributors, Contributor), World.Pick(world.Assets, Asset), Cost, 0.5m));
    }

    private sealed record CreateTask(string Id) : Op
    {
        public override Task ApplyAsync(World world) => world.Harness.Tasks.CreateTaskAsync(new NewAgentTask("d", AgentTaskType.Spec) { Id = Id });
    }

    private sealed record UpdateTask(string Id, int Progress) : Op
    {
        public override Task ApplyAsync(World world)
            => world.Harness.Tasks.UpdateTaskAsync(Id, new AgentTaskUpdate { Progress = Progress, Status = Progress > 90 ? AgentTaskStatus.NeedsDecision : null });
    }

    private sealed record ClaimTask(string Id, string Worker) : Op
    {
        public override Task ApplyAsync(World world) => world.Harness.Tasks.ClaimTaskAsync(Id, Worker);
    }

    private sealed record Flip(MigrationFlags Flags) : Op
    {
        public override Task ApplyAsync(World world)
        {
            world.Harness.Flags.Set(Flags);
            return Task.CompletedTask;
        }
    }
}
