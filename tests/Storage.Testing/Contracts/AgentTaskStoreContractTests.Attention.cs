namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    [Fact]
    public virtual async Task ListAttentionTasksAsync_empty_store_returns_nothing()
    {
        Assert.Empty(await Store.ListAttentionTasksAsync());
    }

    [Fact]
    public virtual async Task ListAttentionTasksAsync_returns_only_needs_decision_and_failed_tasks()
    {
        foreach (var status in Enum.GetValues<AgentTaskStatus>())
        {
            Time.Advance(Tick);
            await CreateWithStatusAsync(StorageNames.Of(status), status);
        }

        var attention = await Store.ListAttentionTasksAsync();

        Assert.Equal(["needs_decision", "failed"], IdsOf(attention));
        Assert.Equal(await Store.GetTaskAsync("failed"), attention[1]);
    }

    [Fact]
    public virtual async Task ListAttentionTasksAsync_orders_by_updated_at_descending()
    {
        await CreateWithStatusAsync("a-failed", AgentTaskStatus.Failed);
        Time.Advance(Tick);
        await CreateWithStatusAsync("b-asks", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);
        await CreateWithStatusAsync("c-failed", AgentTaskStatus.Failed);
        Time.Advance(Tick);
        await Store.UpdateTaskAsync("a-failed", new AgentTaskUpdate { Output = "stack trace" });

        var attention = await Store.ListAttentionTasksAsync();

        Assert.Equal(["a-failed", "c-failed", "b-asks"], IdsOf(attention));
    }

    [Fact]
    public virtual async Task ListAttentionTasksAsync_equal_updated_times_are_ordered_by_id_descending()
    {
        var at = ManualTimeProvider.DefaultStart;
        await Store.ImportTasksAsync(
        [
            FullTask("B", at.AddSeconds(-5), AgentTaskStatus.Failed) with { UpdatedAt = at },
            FullTask("a", at.AddSeconds(-1), AgentTaskStatus.NeedsDecision) with { UpdatedAt = at },
            FullTask("_", at.AddSeconds(-9), AgentTaskStatus.Failed) with { UpdatedAt = at },
            FullTask("older", at.AddSeconds(-9), AgentTaskStatus.Failed) with { UpdatedAt = at.AddTicks(-10) },
        ]);

        var attention = await Store.ListAttentionTasksAsync();

        Assert.Equal(["a", "_", "B", "older"], IdsOf(attention));
    }

    [Fact]
    public virtual async Task ListAttentionTasksAsync_limit_keeps_the_most_recently_updated()
    {
        for (var i = 0; i < 4; i++)
        {
            Time.Advance(Tick);
            await CreateWithStatusAsync($"t-{i}", AgentTaskStatus.Failed);
        }

        var attention = await Store.ListAttentionTasksAsync(limit: 2);

        Assert.Equal(["t-3", "t-2"], IdsOf(attention));
        Assert.Single(await Store.ListAttentionTasksAsync(limit: 1));
    }

    [Fact]
    public virtual async Task ListAttentionTasksAsync_limit_100_is_accepted_and_default_is_50()
    {
        var start = ManualTimeProvider.DefaultStart;
        await Store.ImportTasksAsync(
            Enumerable.Range(0, 101).Select(i => FullTask($"f-{i:D3}", start.AddMinutes(i), AgentTaskStatus.Failed)).ToArray());

        var hundred = await Store.ListAttentionTasksAsync(limit: 100);
        var byDefault = await Store.ListAttentionTasksAsync();

        Assert.Equal(100, hundred.Count);
        Assert.Equal("f-100", hundred[0].Id);
        Assert.Equal("f-001", hundred[99].Id);
        Assert.Equal(hundred.Take(50), byDefault);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public virtual async Task ListAttentionTasksAsync_limit_outside_1_to_100_throws_validation_error_on_limit(int limit)
    {
        await AssertInvalidAsync("limit", () => Store.ListAttentionTasksAsync(limit));
    }

    [Fact]
    public virtual async Task ListAttentionTasksAsync_task_leaves_the_list_once_decided()
    {
        await CreateWithStatusAsync("t-1", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);

        await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Decision = "approved" });

        Assert.Empty(await Store.ListAttentionTasksAsync());
    }

    [Fact]
    public virtual async Task ListAttentionTasksAsync_returned_list_is_a_copy_the_caller_cannot_change_the_store_through()
    {
        var failed = await CreateWithStatusAsync("t-1", AgentTaskStatus.Failed);
        var attention = await Store.ListAttentionTasksAsync();

        TryOverwriteFirst(attention, failed with { Id = "t-2" });

        Assert.Equal(failed, Assert.Single(await Store.ListAttentionTasksAsync()));
    }

    [Fact]
    public virtual async Task CountTasksByStatusAsync_empty_store_counts_zero_in_every_status()
    {
        var counts = await Store.CountTasksByStatusAsync();

        Assert.Equal(new AgentTaskCounts(0, 0, 0, 0, 0), counts);
        Assert.Equal(0, counts.Total);
    }

    [Fact]
    public virtual async Task CountTasksByStatusAsync_counts_every_status_including_zero()
    {
        await CreateWithStatusAsync("p-1", AgentTaskStatus.Pending);
        await CreateWithStatusAsync("p-2", AgentTaskStatus.Pending, AgentTaskType.Heal);
        await CreateWithStatusAsync("r-1", AgentTaskStatus.Running);
        await CreateWithStatusAsync("c-1", AgentTaskStatus.Completed);
        await CreateWithStatusAsync("c-2", AgentTaskStatus.Completed, AgentTaskType.Review);
        await CreateWithStatusAsync("c-3", AgentTaskStatus.Completed);
        await CreateWithStatusAsync("n-1", AgentTaskStatus.NeedsDecision);

        var counts = await Store.CountTasksByStatusAsync();

        Assert.Equal(new AgentTaskCounts(Pending: 2, Running: 1, Completed: 3, Failed: 0, NeedsDecision: 1), counts);
        Assert.Equal(7, counts.Total);
    }

    [Fact]
    public virtual async Task CountTasksByStatusAsync_follows_updates_claims_and_imports()
    {
        await CreateAsync("t-1");
        await CreateAsync("t-2");
        await Store.ClaimTaskAsync("t-1", "worker-1");
        await SetStatusAsync("t-2", AgentTaskStatus.Failed);
        await Store.ImportTasksAsync([FullTask("t-2", ManualTimeProvider.DefaultStart, AgentTaskStatus.Completed)]);

        Assert.Equal(new AgentTaskCounts(0, 1, 1, 0, 0), await Store.CountTasksByStatusAsync());
    }

    [Fact]
    public virtual async Task StreamTasksAsync_empty_store_yields_nothing()
    {
        Assert.Empty(await StreamAllAsync());
    }

    [Fact]
    public virtual async Task StreamTasksAsync_yields_every_task_in_id_code_point_order()
    {
        string[] ids = ["b", "B", "task:1", "a", "_", "a1", "A", "9", "a-", "Z.z"];
        foreach (var id in ids)
        {
            Time.Advance(Tick);
            await CreateAsync(id);
        }

        var streamed = await StreamAllAsync();

        Assert.Equal(["9", "A", "B", "Z.z", "_", "a", "a-", "a1", "b", "task:1"], IdsOf(streamed));
        foreach (var task in streamed)
        {
            Assert.Equal(await Store.GetTaskAsync(task.Id), task);
        }
    }
}
