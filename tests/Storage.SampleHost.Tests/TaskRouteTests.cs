using System.Net;
using static Storage.SampleHost.Tests.InMemoryHostFixture;

namespace Storage.SampleHost.Tests;

public sealed class TaskRouteTests(InMemoryHostFixture host) : IClassFixture<InMemoryHostFixture>
{
    private HttpClient Client => host.Client;

    [Fact]
    public async Task Post_is_201_pending_with_a_location_that_gets_it()
    {
        var response = await Client.PostJsonAsync("/tasks", new NewAgentTask("write the spec", AgentTaskType.Spec) { Model = "m1", Tier = "fast" });
        var created = await response.ReadAsync<AgentTask>(HttpStatusCode.Created);

        var fetched = await Client.GetJsonAsync<AgentTask>(response.Headers.Location!.OriginalString);

        Assert.StartsWith("task_", created.Id, StringComparison.Ordinal);
        Assert.Equal(AgentTaskStatus.Pending, created.Status);
        Assert.Equal(0, created.Progress);
        Assert.Equal(created, fetched);
    }

    [Fact]
    public async Task A_taken_id_is_409_and_an_invalid_one_422()
    {
        var id = Unique("t");
        await (await Client.PostJsonAsync("/tasks", new NewAgentTask("a", AgentTaskType.Test) { Id = id })).ReadAsync<AgentTask>(HttpStatusCode.Created);

        await (await Client.PostJsonAsync("/tasks", new NewAgentTask("b", AgentTaskType.Test) { Id = id })).ProblemAsync(HttpStatusCode.Conflict);
        await (await Client.PostJsonAsync("/tasks", new NewAgentTask("b", AgentTaskType.Test) { Id = "has space" })).AssertInvalidAsync("id");
        await (await Client.PostJsonAsync("/tasks", new NewAgentTask(" ", AgentTaskType.Test))).AssertInvalidAsync("direction");
        await (await Client.SendRawAsync(HttpMethod.Post, "/tasks", """{"direction":"x","taskType":"Dance"}""")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Patch_applies_the_set_fields()
    {
        var task = await CreateAsync();

        var updated = await (await Client.PatchJsonAsync($"/tasks/{task.Id}", new AgentTaskUpdate { Progress = 40, CurrentStep = "tests" })).ReadAsync<AgentTask>();

        Assert.Equal(40, updated.Progress);
        Assert.Equal("tests", updated.CurrentStep);
        Assert.Equal(AgentTaskStatus.Pending, updated.Status);
    }

    [Fact]
    public async Task Patch_errors_map_to_404_422_and_400()
    {
        var task = await CreateAsync();

        await (await Client.PatchJsonAsync($"/tasks/{Unique("none")}", new AgentTaskUpdate { Progress = 1 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PatchJsonAsync($"/tasks/{task.Id}", new AgentTaskUpdate())).AssertInvalidAsync("update");
        await (await Client.PatchJsonAsync($"/tasks/{task.Id}", new AgentTaskUpdate { Progress = 101 })).AssertInvalidAsync("progress");
        await (await Client.SendRawAsync(HttpMethod.Patch, $"/tasks/{task.Id}", "{\"progress\":\"lots\"}")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Claim_runs_the_task_for_the_worker_and_another_worker_gets_409()
    {
        var task = await CreateAsync();

        var claimed = await (await Client.PostJsonAsync($"/tasks/{task.Id}/claim", new { workerId = "w1" })).ReadAsync<AgentTask>();
        var again = await (await Client.PostJsonAsync($"/tasks/{task.Id}/claim", new { workerId = "w1" })).ReadAsync<AgentTask>();
        var other = await Client.PostJsonAsync($"/tasks/{task.Id}/claim", new { workerId = "w2" });

        Assert.Equal(AgentTaskStatus.Running, claimed.Status);
        Assert.Equal("w1", claimed.ClaimedBy);
        Assert.NotNull(claimed.StartedAt);
        Assert.Equal(claimed, again);
        await other.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Claim_errors_map_to_404_422_and_400()
    {
        var task = await CreateAsync();

        await (await Client.PostJsonAsync($"/tasks/{Unique("none")}/claim", new { workerId = "w" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await Client.PostJsonAsync($"/tasks/{task.Id}/claim", new { })).AssertInvalidAsync("worker_id");
        await (await Client.SendRawAsync(HttpMethod.Post, $"/tasks/{task.Id}/claim", json: null)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Get_of_a_missing_task_is_404()
    {
        var id = Unique("none");

        var problem = await (await Client.GetAsync($"/tasks/{id}")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("agent_task", problem.GetProperty("entity").GetString());
        Assert.Equal(id, problem.GetProperty("key").GetString());
    }

    [Fact]
    public async Task List_filters_by_status_and_type_pages_and_counts_the_total()
    {
        var direction = Unique("list");
        var tasks = new List<AgentTask>();
        for (var i = 0; i < 3; i++)
        {
            tasks.Add(await (await Client.PostJsonAsync("/tasks", new NewAgentTask(direction, AgentTaskType.Heal))).ReadAsync<AgentTask>(HttpStatusCode.Created));
        }

        await (await Client.PatchJsonAsync($"/tasks/{tasks[0].Id}", new AgentTaskUpdate { Status = AgentTaskStatus.Failed })).ReadAsync<AgentTask>();
        var failed = await Client.GetJsonAsync<AgentTaskPage>("/tasks?status=FAILED&taskType=Heal");
        var page = await Client.GetJsonAsync<AgentTaskPage>("/tasks?taskType=heal&limit=1&offset=1");

        Assert.Contains(failed.Items, t => t.Id == tasks[0].Id);
        Assert.All(failed.Items, t => Assert.Equal(AgentTaskStatus.Failed, t.Status));
        Assert.Equal(failed.Items.Count, failed.Total);
        Assert.Single(page.Items);
        Assert.True(page.Total >= 3, $"total {page.Total}");
    }

    [Theory]
    [InlineData("/tasks?status=sleeping")]
    [InlineData("/tasks?status=1")]
    [InlineData("/tasks?status=pending,running")]
    [InlineData("/tasks?taskType=cook")]
    [InlineData("/tasks?limit=x")]
    public async Task List_with_unusable_query_values_is_400(string url)
        => await (await Client.GetAsync(url)).ProblemAsync(HttpStatusCode.BadRequest);

    [Fact]
    public async Task List_with_an_out_of_range_limit_is_422()
        => await (await Client.GetAsync("/tasks?limit=0")).AssertInvalidAsync("limit");

    [Fact]
    public async Task Attention_lists_tasks_needing_a_decision_and_counts_follow_the_statuses()
    {
        var before = await Client.GetJsonAsync<AgentTaskCounts>("/tasks/counts");
        var task = await CreateAsync();
        var waiting = await (await Client.PatchJsonAsync($"/tasks/{task.Id}", new AgentTaskUpdate { Status = AgentTaskStatus.NeedsDecision, DecisionPrompt = "ok?" })).ReadAsync<AgentTask>();

        var attention = await Client.GetJsonAsync<AgentTask[]>("/tasks/attention?limit=1");
        var after = await Client.GetJsonAsync<AgentTaskCounts>("/tasks/counts");

        Assert.Equal([waiting], attention);
        Assert.Equal(before.NeedsDecision + 1, after.NeedsDecision);
        Assert.Equal(before.Pending, after.Pending);
        Assert.Equal(before.Total + 1, after.Total);
    }

    private async Task<AgentTask> CreateAsync()
        => await (await Client.PostJsonAsync("/tasks", new NewAgentTask(Unique("do"), AgentTaskType.Impl))).ReadAsync<AgentTask>(HttpStatusCode.Created);
}
