namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    [Fact]
    public virtual async Task ListTasksAsync_empty_store_returns_no_items_and_zero_total()
    {
        var page = await Store.ListTasksAsync(new AgentTaskQuery());

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_returns_newest_first()
    {
        var first = await CreateAsync("b-first");
        Time.Advance(Tick);
        var second = await CreateAsync("c-second");
        Time.Advance(TimeSpan.FromMicroseconds(1));
        var third = await CreateAsync("a-third");

        var page = await Store.ListTasksAsync(new AgentTaskQuery());

        Assert.Equal([third, second, first], page.Items);
        Assert.Equal(3, page.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_equal_created_times_are_ordered_by_id_descending_in_code_point_order()
    {
        foreach (var id in new[] { "b", "a", "C", "a-", "_x", "B" })
        {
            await CreateAsync(id);
        }

        var page = await Store.ListTasksAsync(new AgentTaskQuery());

        Assert.Equal(["b", "a-", "a", "_x", "C", "B"], IdsOf(page.Items));
    }

    [Fact]
    public virtual async Task ListTasksAsync_ordering_uses_created_at_not_updated_at()
    {
        await CreateAsync("older");
        Time.Advance(Tick);
        await CreateAsync("newer");
        Time.Advance(Tick);
        await Store.UpdateTaskAsync("older", new AgentTaskUpdate { Progress = 5 });

        var page = await Store.ListTasksAsync(new AgentTaskQuery());

        Assert.Equal(["newer", "older"], IdsOf(page.Items));
    }

    [Fact]
    public virtual async Task ListTasksAsync_status_filter_returns_only_that_status_and_counts_only_it()
    {
        await CreateWithStatusAsync("p-1", AgentTaskStatus.Pending);
        Time.Advance(Tick);
        await CreateWithStatusAsync("f-1", AgentTaskStatus.Failed);
        Time.Advance(Tick);
        await CreateWithStatusAsync("p-2", AgentTaskStatus.Pending);
        Time.Advance(Tick);
        await CreateWithStatusAsync("c-1", AgentTaskStatus.Completed);

        var pending = await Store.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Pending });
        var running = await Store.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Running });

        Assert.Equal(["p-2", "p-1"], IdsOf(pending.Items));
        Assert.Equal(2, pending.Total);
        Assert.Empty(running.Items);
        Assert.Equal(0, running.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_type_filter_returns_only_that_type_and_counts_only_it()
    {
        await CreateAsync("spec-1", AgentTaskType.Spec);
        Time.Advance(Tick);
        await CreateAsync("heal-1", AgentTaskType.Heal);
        Time.Advance(Tick);
        await CreateAsync("heal-2", AgentTaskType.Heal);

        var page = await Store.ListTasksAsync(new AgentTaskQuery { TaskType = AgentTaskType.Heal });

        Assert.Equal(["heal-2", "heal-1"], IdsOf(page.Items));
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_status_and_type_filters_both_apply()
    {
        await CreateWithStatusAsync("impl-done", AgentTaskStatus.Completed, AgentTaskType.Impl);
        Time.Advance(Tick);
        await CreateWithStatusAsync("impl-open", AgentTaskStatus.Pending, AgentTaskType.Impl);
        Time.Advance(Tick);
        await CreateWithStatusAsync("test-done", AgentTaskStatus.Completed, AgentTaskType.Test);

        var page = await Store.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Completed, TaskType = AgentTaskType.Impl });

        Assert.Equal("impl-done", Assert.Single(page.Items).Id);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_follows_status_changes()
    {
        await CreateAsync("t-1");
        Time.Advance(Tick);
        await Store.ClaimTaskAsync("t-1", "worker-1");

        var pending = await Store.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Pending });
        var running = await Store.ListTasksAsync(new AgentTaskQuery { Status = AgentTaskStatus.Running });

        Assert.Empty(pending.Items);
        Assert.Equal(0, pending.Total);
        Assert.Equal(await Store.GetTaskAsync("t-1"), Assert.Single(running.Items));
    }

    [Fact]
    public virtual async Task ListTasksAsync_pages_with_limit_and_offset_and_total_counts_every_match()
    {
        var tasks = await ImportPendingAsync(5);
        var newestFirst = IdsOf(Enumerable.Reverse(tasks));

        foreach (var (offset, expected) in new[] { (0, newestFirst[..2]), (2, newestFirst[2..4]), (4, newestFirst[4..]), (5, Array.Empty<string>()), (50, Array.Empty<string>()) })
        {
            var page = await Store.ListTasksAsync(new AgentTaskQuery { Limit = 2, Offset = offset });

            Assert.Equal(expected, IdsOf(page.Items));
            Assert.Equal(5, page.Total);
        }
    }

    [Fact]
    public virtual async Task ListTasksAsync_pages_a_filtered_list_with_the_filtered_total()
    {
        var start = ManualTimeProvider.DefaultStart;
        await Store.ImportTasksAsync(
        [
            PendingTask("h-0", start, AgentTaskType.Heal), PendingTask("s-1", start.AddSeconds(1)),
            PendingTask("h-2", start.AddSeconds(2), AgentTaskType.Heal), PendingTask("h-3", start.AddSeconds(3), AgentTaskType.Heal),
        ]);

        var page = await Store.ListTasksAsync(new AgentTaskQuery { TaskType = AgentTaskType.Heal, Limit = 1, Offset = 1 });

        Assert.Equal(["h-2"], IdsOf(page.Items));
        Assert.Equal(3, page.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_limit_1_returns_the_newest_task()
    {
        var tasks = await ImportPendingAsync(3);

        var page = await Store.ListTasksAsync(new AgentTaskQuery { Limit = 1 });

        Assert.Equal(tasks[2], Assert.Single(page.Items));
        Assert.Equal(3, page.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_limit_100_returns_100_of_101_tasks()
    {
        var tasks = await ImportPendingAsync(101);

        var page = await Store.ListTasksAsync(new AgentTaskQuery { Limit = 100 });

        Assert.Equal(Enumerable.Reverse(tasks).Take(100), page.Items);
        Assert.Equal(101, page.Total);
    }

    [Fact]
    public virtual async Task ListTasksAsync_default_query_returns_50_tasks_from_offset_0()
    {
        var tasks = await ImportPendingAsync(51);

        var page = await Store.ListTasksAsync(new AgentTaskQuery());

        Assert.Equal(Enumerable.Reverse(tasks).Take(50), page.Items);
        Assert.Equal(51, page.Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public virtual async Task ListTasksAsync_limit_outside_1_to_100_throws_validation_error_on_limit(int limit)
    {
        await AssertInvalidAsync("limit", () => Store.ListTasksAsync(new AgentTaskQuery { Limit = limit }));
    }

    [Fact]
    public virtual async Task ListTasksAsync_negative_offset_throws_validation_error_on_offset()
    {
        await AssertInvalidAsync("offset", () => Store.ListTasksAsync(new AgentTaskQuery { Offset = -1 }));
    }

    [Fact]
    public virtual async Task ListTasksAsync_undefined_status_filter_throws_validation_error_on_status()
    {
        await AssertInvalidAsync("status", () => Store.ListTasksAsync(new AgentTaskQuery { Status = (AgentTaskStatus)7 }));
    }

    [Fact]
    public virtual async Task ListTasksAsync_undefined_type_filter_throws_validation_error_on_task_type()
    {
        await AssertInvalidAsync("task_type", () => Store.ListTasksAsync(new AgentTaskQuery { TaskType = (AgentTaskType)7 }));
    }

    [Fact]
    public virtual async Task ListTasksAsync_returned_list_is_a_copy_the_caller_cannot_change_the_store_through()
    {
        var first = await CreateAsync("t-1");
        var page = await Store.ListTasksAsync(new AgentTaskQuery());

        TryOverwriteFirst(page.Items, first with { Id = "t-2", Direction = "changed" });

        Assert.Equal(first, Assert.Single((await Store.ListTasksAsync(new AgentTaskQuery())).Items));
        Assert.Null(await Store.GetTaskAsync("t-2"));
    }
}
