namespace Storage.InMemory.Tests;

internal static class SnapshotAssert
{
    /// <summary>Every entity kind of the two pairs of stores is equal, record by record, in stream order.</summary>
    public static async Task EqualAsync(IGraphStore expectedGraph, IAgentTaskStore expectedTasks, IGraphStore actualGraph, IAgentTaskStore actualTasks)
    {
        Assert.Equal(await ReadAsync(expectedGraph.StreamProjectsAsync()), await ReadAsync(actualGraph.StreamProjectsAsync()));
        Assert.Equal(await ReadAsync(expectedGraph.StreamDependenciesAsync()), await ReadAsync(actualGraph.StreamDependenciesAsync()));
        Assert.Equal(await ReadAsync(expectedGraph.StreamContributorsAsync()), await ReadAsync(actualGraph.StreamContributorsAsync()));
        Assert.Equal(await ReadAsync(expectedGraph.StreamAssetsAsync()), await ReadAsync(actualGraph.StreamAssetsAsync()));
        Assert.Equal(await ReadAsync(expectedGraph.StreamContributionsAsync()), await ReadAsync(actualGraph.StreamContributionsAsync()));
        Assert.Equal(await ReadAsync(expectedTasks.StreamTasksAsync()), await ReadAsync(actualTasks.StreamTasksAsync()));
    }

    public static async Task<List<T>> ReadAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
