namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    [Fact]
    public virtual async Task CreateTaskAsync_optional_fields_at_their_limits_are_accepted()
    {
        var task = await Store.CreateTaskAsync(NewTask("t-1") with
        {
            Model = new string('m', 100),
            Command = new string('c', 10_000),
            Tier = new string('t', 50),
        });

        Assert.Equal(task, await Store.GetTaskAsync("t-1"));
        Assert.Equal((100, 10_000, 50), (task.Model!.Length, task.Command!.Length, task.Tier!.Length));
    }

    [Fact]
    public virtual async Task CreateTaskAsync_optional_fields_over_their_limits_throw_validation_error_on_that_field()
    {
        await AssertInvalidAsync("model", () => Store.CreateTaskAsync(NewTask() with { Model = new string('m', 101) }));
        await AssertInvalidAsync("command", () => Store.CreateTaskAsync(NewTask() with { Command = new string('c', 10_001) }));
        await AssertInvalidAsync("tier", () => Store.CreateTaskAsync(NewTask() with { Tier = new string('t', 51) }));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_optional_text_with_nul_or_unpaired_surrogate_throws_validation_error_on_that_field()
    {
        await AssertInvalidAsync("model", () => Store.CreateTaskAsync(NewTask() with { Model = "gpt\0" }));
        await AssertInvalidAsync("command", () => Store.CreateTaskAsync(NewTask() with { Command = "run \ud800" }));
        await AssertInvalidAsync("tier", () => Store.CreateTaskAsync(NewTask() with { Tier = "\udfff" }));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_text_fields_at_their_limits_are_accepted()
    {
        await CreateAsync("t-1");
        var update = new AgentTaskUpdate
        {
            Output = new string('o', 1_000_000),
            CurrentStep = new string('s', 500),
            DecisionPrompt = new string('p', 5_000),
            Decision = new string('d', 5_000),
        };

        var updated = await Store.UpdateTaskAsync("t-1", update);

        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
        Assert.Equal(
            (1_000_000, 500, 5_000, 5_000),
            (updated.Output!.Length, updated.CurrentStep!.Length, updated.DecisionPrompt!.Length, updated.Decision!.Length));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_text_fields_over_their_limits_throw_validation_error_on_that_field()
    {
        var created = await CreateAsync("t-1");

        await AssertInvalidAsync("output", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Output = new string('o', 1_000_001) }));
        await AssertInvalidAsync("current_step", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { CurrentStep = new string('s', 501) }));
        await AssertInvalidAsync("decision_prompt", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { DecisionPrompt = new string('p', 5_001) }));
        await AssertInvalidAsync("decision", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Decision = new string('d', 5_001) }));

        Assert.Equal(created, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_text_with_nul_or_unpaired_surrogate_throws_validation_error_on_that_field()
    {
        var created = await CreateAsync("t-1");

        await AssertInvalidAsync("output", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Output = "done\0" }));
        await AssertInvalidAsync("current_step", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { CurrentStep = "step \ud83d" }));
        await AssertInvalidAsync("decision_prompt", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { DecisionPrompt = "\ude00?" }));
        await AssertInvalidAsync("decision", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Decision = "\0" }));

        Assert.Equal(created, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_undefined_status_throws_validation_error_on_status()
    {
        await CreateAsync("t-1");

        await AssertInvalidAsync("status", () => SetStatusAsync("t-1", (AgentTaskStatus)42));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_rejected_update_writes_nothing()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        await AssertInvalidAsync(
            "progress",
            () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Status = AgentTaskStatus.Completed, Output = "done", Progress = 101 }));

        Assert.Equal(created, await Store.GetTaskAsync("t-1"));
        Assert.Equal(new AgentTaskCounts(1, 0, 0, 0, 0), await Store.CountTasksByStatusAsync());
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_unicode_text_is_kept_exactly()
    {
        await CreateAsync("t-1");
        const string text = "\u00e9t\u00e9 \U0001F680 \u05e9\u05dc\u05d5\u05dd \U0001D11E";

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Output = text, DecisionPrompt = text, Decision = text, CurrentStep = text });

        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
        Assert.All(new[] { updated.Output, updated.DecisionPrompt, updated.Decision, updated.CurrentStep }, value => Assert.Equal(text, value));
    }

    [Fact]
    public virtual async Task Every_operation_with_a_cancelled_token_throws_and_writes_nothing()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var token = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateTaskAsync(NewTask("t-2"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetTaskAsync("t-1", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SetStatusAsync("t-1", AgentTaskStatus.Failed, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ClaimTaskAsync("t-1", "worker-1", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListTasksAsync(new AgentTaskQuery(), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListAttentionTasksAsync(cancellationToken: token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CountTasksByStatusAsync(token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StreamAllAsync(token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store.ImportTasksAsync([PendingTask("t-3", ManualTimeProvider.DefaultStart)], token));

        Assert.Equal([created], await StreamAllAsync());
    }
}
