namespace Storage.DualWrite.Tests;

/// <summary>Compares two backends through every stream.</summary>
internal static class StoreAssert
{
    public static async Task EqualAsync(IGraphStore expected, IGraphStore actual)
    {
        Assert.Equal(await ListAsync(expected.StreamProjectsAsync()), await ListAsync(actual.StreamProjectsAsync()));
        Assert.Equal(await ListAsync(expected.StreamDependenciesAsync()), await ListAsync(actual.StreamDependenciesAsync()));
        Assert.Equal(await ListAsync(expected.StreamContributorsAsync()), await ListAsync(actual.StreamContributorsAsync()));
        Assert.Equal(await ListAsync(expected.StreamAssetsAsync()), await ListAsync(actual.StreamAssetsAsync()));
        Assert.Equal(await ListAsync(expected.StreamContributionsAsync()), await ListAsync(actual.StreamContributionsAsync()));
    }

    public static async Task EqualAsync(IAgentTaskStore expected, IAgentTaskStore actual)
        => Assert.Equal(await ListAsync(expected.StreamTasksAsync()), await ListAsync(actual.StreamTasksAsync()));

    public static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> stream)
    {
        var items = new List<T>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }

        return items;
    }
}
