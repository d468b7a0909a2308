using Storage.InMemory;

namespace Storage.DualWrite.Tests;

/// <summary>
/// Routing a read adds no allocation over the bare backend: neither where no fallback is possible nor through the
/// pipeline that guards the target (with its fallback to the source) when the target answers synchronously.
/// </summary>
public sealed class ReadAllocationTests
{
    [Theory]
    [InlineData(MigrationPhase.SourceOnly, 0)]
    [InlineData(MigrationPhase.DualWrite, 0)]
    [InlineData(MigrationPhase.ReadShift, 100)] // through the pipeline that guards the target, answered synchronously
    [InlineData(MigrationPhase.TargetPrimary, 0)]
    [InlineData(MigrationPhase.TargetOnly, 0)]
    public async Task A_keyed_read_allocates_no_more_than_the_bare_backend(MigrationPhase phase, int percent)
    {
        var time = new ManualTimeProvider();
        var ids = new SequentialIdGenerator();
        var bare = new InMemoryGraphStore(time, ids);
        var tasks = new InMemoryAgentTaskStore(time, ids);
        using var harness = new DualWriteHarness(bare, bare, tasks, tasks, MigrationFlags.For(phase, percent));
        var project = await bare.UpsertProjectAsync(new ProjectUpsert("npm", "react"));
        var task = await tasks.CreateTaskAsync(new NewAgentTask("t", AgentTaskType.Spec) { Id = "t-1" });

        var bareGraph = Measure(() => bare.GetProjectAsync(project.Key));
        var routedGraph = Measure(() => harness.Graph.GetProjectAsync(project.Key));
        var bareTask = Measure(() => tasks.GetTaskAsync(task.Id));
        var routedTask = Measure(() => harness.Tasks.GetTaskAsync(task.Id));

        Assert.Equal(bareGraph, routedGraph);
        Assert.Equal(bareTask, routedTask);
    }

    private static long Measure<T>(Func<Task<T>> read)
    {
        for (var i = 0; i < 100; i++)
        {
            _ = read().Result;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _ = read().Result;
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1_000;
    }
}
