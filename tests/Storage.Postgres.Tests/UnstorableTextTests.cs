using Storage.InMemory;

namespace Storage.Postgres.Tests;

/// <summary>
/// Text PostgreSQL cannot hold (a NUL character, an unpaired surrogate) is rejected by the shared validation with the
/// same <see cref="StorageValidationException"/> in both backends, before anything is written, for every text input
/// the contract suite does not already cover.
/// </summary>
[RequiresPostgres]
public sealed class UnstorableTextTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset At = ManualTimeProvider.DefaultStart;
    private static readonly ProjectKey Valid = new("npm", "react");
    private static readonly Project ImportedProject = new("npm", "react", null, null, null, null, 0, At, At);
    private static readonly Contributor ImportedContributor = new(Guid.NewGuid(), "Ada", null, null, null, JsonMetadata.Empty, At, At);
    private static readonly Asset ImportedAsset = new(Guid.NewGuid(), "model", null, AssetType.Model, 0m, JsonMetadata.Empty, At, At);
    private static readonly AgentTask ImportedTask = new(
        "t-1", "direction", AgentTaskType.Spec, AgentTaskStatus.Pending, null, null, null, JsonMetadata.Empty, 0, null, null, null, null, null, null, null, At, At);

    private static readonly Dictionary<string, (string Field, Func<IGraphStore, IAgentTaskStore, Task> Call)> Cases = new()
    {
        ["get project"] = ("name", (g, _) => g.GetProjectAsync(new ProjectKey("npm", "re\0act"))),
        ["add dependency"] = ("ecosystem", (g, _) => g.AddDependencyAsync(new ProjectKey("n\0pm", "a"), Valid)),
        ["remove dependency"] = ("name", (g, _) => g.RemoveDependencyAsync(Valid, new ProjectKey("npm", "b\0"))),
        ["dependencies"] = ("name", (g, _) => g.GetDependenciesAsync(new ProjectKey("npm", "\0"))),
        ["dependents"] = ("name", (g, _) => g.GetDependentsAsync(new ProjectKey("npm", "\0"))),
        ["count dependents"] = ("ecosystem", (g, _) => g.CountDependentsAsync(new ProjectKey("\0", "a"))),
        ["transitive"] = ("name", (g, _) => g.GetTransitiveDependenciesAsync(new ProjectKey("npm", "a\0"), 3)),
        ["list after"] = ("name", (g, _) => g.ListProjectsAsync(new ProjectKey("npm", "a\0"), 10)),
        ["search surrogate"] = ("text", (g, _) => g.SearchProjectsAsync(new ProjectSearch("a\ud800"))),
        ["github username"] = ("github_username", (g, _) => g.CreateContributorAsync(new NewContributor("Ada") { GithubUsername = "ada\0" })),
        ["asset description"] = ("description", (g, _) => g.CreateAssetAsync(new NewAsset("model", AssetType.Model) { Description = "x\0y" })),
        ["import project description"] = ("description", (g, _) => g.ImportProjectsAsync([ImportedProject with { Description = "\0" }])),
        ["import project version"] = ("version", (g, _) => g.ImportProjectsAsync([ImportedProject with { Version = "1\0" }])),
        ["import project url"] = ("homepage_url", (g, _) => g.ImportProjectsAsync([ImportedProject with { HomepageUrl = "https://x.io/\0" }])),
        ["import edge"] = ("name", (g, _) => g.ImportDependenciesAsync([new DependencyEdge(Valid, new ProjectKey("npm", "do\0m"))])),
        ["import contributor name"] = ("name", (g, _) => g.ImportContributorsAsync([ImportedContributor with { Name = "Ad\0a" }])),
        ["import contributor email"] = ("email", (g, _) => g.ImportContributorsAsync([ImportedContributor with { Email = "a\0@b.c" }])),
        ["import contributor wallet"] = ("wallet_address", (g, _) => g.ImportContributorsAsync([ImportedContributor with { WalletAddress = "0x\0" }])),
        ["import asset name"] = ("name", (g, _) => g.ImportAssetsAsync([ImportedAsset with { Name = "\0" }])),
        ["import asset description"] = ("description", (g, _) => g.ImportAssetsAsync([ImportedAsset with { Description = "\ud800" }])),
        ["task command"] = ("command", (_, t) => t.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Command = "rm\0" })),
        ["task tier"] = ("tier", (_, t) => t.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec) { Tier = "t\0" })),
        ["task id lookup"] = ("id", (_, t) => t.GetTaskAsync("t\0")),
        ["update current step"] = ("current_step", (_, t) => t.UpdateTaskAsync("t-1", new AgentTaskUpdate { CurrentStep = "s\0" })),
        ["update decision prompt"] = ("decision_prompt", (_, t) => t.UpdateTaskAsync("t-1", new AgentTaskUpdate { DecisionPrompt = "?\0" })),
        ["claim worker"] = ("worker_id", (_, t) => t.ClaimTaskAsync("t-1", "w\0")),
        ["import task direction"] = ("direction", (_, t) => t.ImportTasksAsync([ImportedTask with { Direction = "\0" }])),
        ["import task model"] = ("model", (_, t) => t.ImportTasksAsync([ImportedTask with { Model = "m\0" }])),
        ["import task decision"] = ("decision", (_, t) => t.ImportTasksAsync([ImportedTask with { Decision = "\0" }])),
        ["import task claimed by"] = ("worker_id", (_, t) => t.ImportTasksAsync([ImportedTask with { ClaimedBy = "w\0", ClaimedAt = At }])),
    };

    public static TheoryData<string> CaseNames
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var name in Cases.Keys)
            {
                names.Add(name);
            }

            return names;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Unstorable_text_is_rejected_alike_by_both_backends_and_nothing_is_written(string name)
    {
        var (field, call) = Cases[name];
        var (memoryTime, postgresTime) = (new ManualTimeProvider(), new ManualTimeProvider());
        var memory = await Assert.ThrowsAsync<StorageValidationException>(
            () => call(new InMemoryGraphStore(memoryTime, new SequentialIdGenerator()), new InMemoryAgentTaskStore(memoryTime, new SequentialIdGenerator())));
        var dataSource = await database.EmptySchemaAsync();
        var graph = new PostgresGraphStore(dataSource, postgresTime, new SequentialIdGenerator());
        var tasks = new PostgresAgentTaskStore(dataSource, postgresTime, new SequentialIdGenerator());

        var postgres = await Assert.ThrowsAsync<StorageValidationException>(() => call(graph, tasks));

        Assert.Equal(field, memory.Field);
        Assert.Equal((memory.Field, memory.Message), (postgres.Field, postgres.Message));
        Assert.Matches("NUL character|unpaired surrogate|only ASCII", postgres.Message);
        Assert.Equal(0, await graph.CountProjectsAsync());
        Assert.Empty(await graph.ListContributorsAsync(100));
        Assert.Empty(await graph.ListAssetsAsync(100));
        Assert.Equal(0, (await tasks.CountTasksByStatusAsync()).Total);
    }

    [Theory]
    [InlineData("""{"a":"x\u0000y"}""")]
    [InlineData("""{"\u0000":1}""")]
    [InlineData("""{"a":["\ud800"]}""")]
    public void Json_metadata_with_unstorable_text_is_rejected_before_any_store_sees_it(string json)
    {
        var error = Assert.Throws<StorageValidationException>(() => JsonMetadata.Parse(json, "context"));

        Assert.Equal("context", error.Field);
    }
}
