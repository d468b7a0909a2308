using Storage.InMemory;

namespace Storage.InMemory.Tests;

public sealed class InMemorySnapshotTests : IDisposable
{
    private readonly SnapshotFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Save_then_load_gives_an_equal_store()
    {
        await _fixture.FillAsync();
        var path = _fixture.PathOf("a.jsonl");

        var saved = await InMemorySnapshot.SaveAsync(path, _fixture.Graph, _fixture.Tasks, _fixture.Time);
        var (graph, tasks) = _fixture.NewStores();
        var loaded = await InMemorySnapshot.LoadAsync(path, graph, tasks);

        await SnapshotAssert.EqualAsync(_fixture.Graph, _fixture.Tasks, graph, tasks);
        Assert.Equal(3, saved.Counts[SnapshotSection.Projects]);
        Assert.Equal(saved.Counts, loaded.Counts);
        Assert.Equal(_fixture.Time.GetUtcNow(), loaded.Header.TakenAt);
        Assert.Equal(12.35m, (await graph.ListAssetsAsync()).Single().TotalCost);
        Assert.Equal(1, (await graph.GetProjectAsync(new ProjectKey("npm", "react")))!.DependencyCount);
    }

    [Fact]
    public async Task Load_replaces_what_the_store_held()
    {
        await _fixture.FillAsync();
        var path = _fixture.PathOf("a.jsonl");
        await InMemorySnapshot.SaveAsync(path, _fixture.Graph, _fixture.Tasks, _fixture.Time);
        var (graph, tasks) = _fixture.NewStores();
        await graph.UpsertProjectAsync(new ProjectUpsert("cargo", "serde"));
        await tasks.CreateTaskAsync(new NewAgentTask("old", AgentTaskType.Heal) { Id = "old" });

        await InMemorySnapshot.LoadAsync(path, graph, tasks);

        Assert.Null(await graph.GetProjectAsync(new ProjectKey("cargo", "serde")));
        Assert.Null(await tasks.GetTaskAsync("old"));
        await SnapshotAssert.EqualAsync(_fixture.Graph, _fixture.Tasks, graph, tasks);
    }

    [Fact]
    public async Task Save_replaces_an_existing_file_and_leaves_no_temp_file()
    {
        var path = _fixture.PathOf("a.jsonl");
        await File.WriteAllTextAsync(path, "old contents");
        await _fixture.FillAsync();

        await InMemorySnapshot.SaveAsync(path, _fixture.Graph, _fixture.Tasks, _fixture.Time);

        Assert.Equal(["a.jsonl"], Directory.GetFiles(_fixture.Folder).Select(Path.GetFileName));
        Assert.StartsWith("{\"format\":\"storage-snapshot\",\"version\":1,", (await File.ReadAllLinesAsync(path))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_save_keeps_the_old_file_and_leaves_no_temp_file()
    {
        var path = _fixture.PathOf("a.jsonl");
        await File.WriteAllTextAsync(path, "old contents");
        await _fixture.FillAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => InMemorySnapshot.SaveAsync(path, _fixture.Graph, _fixture.Tasks, _fixture.Time, cancelled.Token));

        Assert.Equal("old contents", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(_fixture.Folder));
    }

    [Fact]
    public async Task Records_are_written_one_per_line_in_section_and_key_order()
    {
        await _fixture.FillAsync();
        var path = _fixture.PathOf("a.jsonl");
        await InMemorySnapshot.SaveAsync(path, _fixture.Graph, _fixture.Tasks, _fixture.Time);

        var lines = await File.ReadAllLinesAsync(path);

        var tags = lines.Skip(1).Select(l => l[2..l.IndexOf('"', 2)]).ToArray();
        Assert.Equal(
            ["project", "project", "project", "dependency", "contributor", "asset", "contribution", "contribution", "agent_task", "agent_task", "end"],
            tags);
        Assert.Equal("{\"end\":{\"records\":10}}", lines[^1]);
        Assert.Contains("\"asset_type\":\"model\"", lines[6], StringComparison.Ordinal);
        Assert.Contains("\"status\":\"running\"", lines.Single(l => l.Contains("worker-1", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
