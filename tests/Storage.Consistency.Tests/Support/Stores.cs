using Storage.Consistency;
using Storage.InMemory;

namespace Storage.Consistency.Tests.Support;

/// <summary>Fresh in-memory store pairs, and a pair loaded with a data set.</summary>
public static class Stores
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static (InMemoryGraphStore Graph, InMemoryAgentTaskStore Tasks) NewPair(TimeProvider? time = null)
    {
        time ??= new ManualTimeProvider(Epoch);
        var ids = new SequentialIdGenerator();
        return (new InMemoryGraphStore(time, ids), new InMemoryAgentTaskStore(time, ids));
    }

    public static async Task<LiveStoreSource> LoadAsync(DataSet data, string name)
    {
        var (graph, tasks) = NewPair();
        await data.ImportAsync(graph, tasks);
        return new LiveStoreSource(graph, tasks, name);
    }
}
