namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    [Fact]
    public virtual async Task ImportTasksAsync_round_trips_every_field_exactly()
    {
        var running = FullTask("task_0123456789abcdef0123456789abcdef", ManualTimeProvider.DefaultStart.AddDays(-3));
        var asks = FullTask("t-asks", ManualTimeProvider.DefaultStart.AddDays(-2), AgentTaskStatus.NeedsDecision, AgentTaskType.Impl) with
        {
            Model = null,
            Command = null,
            Output = null,
            Context = JsonMetadata.Empty,
            CurrentStep = null,
            Tier = null,
            StartedAt = null,
        };

        var written = await Store.ImportTasksAsync([running, asks]);

        Assert.Equal(2, written);
        Assert.Equal(running, await Store.GetTaskAsync(running.Id));
        Assert.Equal(asks, await Store.GetTaskAsync(asks.Id));
        Assert.Equal([asks, running], await StreamAllAsync()); // "t-" sorts before "ta"
        Assert.Equal("""{"area":{"name":"ledger","ok":true},"retries":[1,2.50]}""", (await Store.GetTaskAsync(running.Id))!.Context.Json);
    }

    [Fact]
    public virtual async Task ImportTasksAsync_converts_times_to_utc()
    {
        var offset = TimeSpan.FromHours(5.5);
        var created = new DateTimeOffset(2025, 6, 30, 23, 59, 59, offset).AddTicks(9990);
        var task = FullTask("t-1", created);

        await Store.ImportTasksAsync([task]);

        var stored = (await Store.GetTaskAsync("t-1"))!;
        Assert.Equal(task, stored);
        Assert.All(
            new[] { stored.CreatedAt, stored.UpdatedAt, stored.StartedAt!.Value, stored.ClaimedAt!.Value },
            time => Assert.Equal(TimeSpan.Zero, time.Offset));
        Assert.Equal(created.UtcTicks, stored.CreatedAt.UtcTicks);
    }

    [Fact]
    public virtual async Task ImportTasksAsync_empty_batch_returns_zero()
    {
        Assert.Equal(0, await Store.ImportTasksAsync(Array.Empty<AgentTask>()));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task ImportTasksAsync_same_records_again_changes_nothing()
    {
        AgentTask[] batch =
        [
            FullTask("t-1", ManualTimeProvider.DefaultStart.AddHours(-2), AgentTaskStatus.Failed),
            FullTask("t-2", ManualTimeProvider.DefaultStart.AddHours(-1)),
            PendingTask("t-3", ManualTimeProvider.DefaultStart.AddHours(-1), AgentTaskType.Heal),
        ];
        await Store.ImportTasksAsync(batch);
        var streamed = await StreamAllAsync();
        var counts = await Store.CountTasksByStatusAsync();
        Time.Advance(Tick);

        Assert.Equal(3, await Store.ImportTasksAsync(batch));

        Assert.Equal(streamed, await StreamAllAsync());
        Assert.Equal(counts, await Store.CountTasksByStatusAsync());
        Assert.Equal(["t-3", "t-2", "t-1"], IdsOf((await Store.ListTasksAsync(new AgentTaskQuery())).Items));
        Assert.Equal(["t-1"], IdsOf(await Store.ListAttentionTasksAsync()));
    }

    [Fact]
    public virtual async Task ImportTasksAsync_replaces_a_stored_task_with_the_same_id()
    {
        await CreateAsync("t-1");
        var imported = FullTask("t-1", ManualTimeProvider.DefaultStart.AddDays(-1), AgentTaskStatus.Failed, AgentTaskType.Heal);

        await Store.ImportTasksAsync([imported]);

        Assert.Equal(imported, await Store.GetTaskAsync("t-1"));
        Assert.Equal(new AgentTaskCounts(0, 0, 0, 1, 0), await Store.CountTasksByStatusAsync());
        Assert.Equal(imported, Assert.Single((await Store.ListTasksAsync(new AgentTaskQuery { TaskType = AgentTaskType.Heal })).Items));
        Assert.Empty((await Store.ListTasksAsync(new AgentTaskQuery { TaskType = AgentTaskType.Spec })).Items);
        Assert.Equal(imported, Assert.Single(await Store.ListAttentionTasksAsync()));
    }

    [Fact]
    public virtual async Task ImportTasksAsync_imported_claim_is_honoured_by_claims()
    {
        var imported = FullTask("t-1", ManualTimeProvider.DefaultStart.AddDays(-1));
        await Store.ImportTasksAsync([imported]);
        Time.Advance(Tick);

        Assert.Equal(imported, await Store.ClaimTaskAsync("t-1", "worker-7"));
        await AssertConflictAsync(StorageErrors.ClaimedByAnother("t-1"), () => Store.ClaimTaskAsync("t-1", "worker-8"));
    }

    [Fact]
    public virtual async Task ImportTasksAsync_imported_task_takes_its_id_so_create_with_that_id_conflicts()
    {
        await Store.ImportTasksAsync([PendingTask("t-1", ManualTimeProvider.DefaultStart)]);

        await AssertConflictAsync(StorageErrors.TaskExists("t-1"), () => CreateAsync("t-1"));
    }

    [Fact]
    public virtual async Task ImportTasksAsync_batch_naming_an_id_twice_throws_validation_error_on_batch_and_writes_nothing()
    {
        var at = ManualTimeProvider.DefaultStart;

        await AssertInvalidAsync(
            "batch",
            () => Store.ImportTasksAsync([PendingTask("t-1", at), PendingTask("t-2", at), PendingTask("t-1", at.AddSeconds(1))]));

        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task ImportTasksAsync_null_record_throws_validation_error_on_batch()
    {
        await AssertInvalidAsync("batch", () => Store.ImportTasksAsync([PendingTask("t-1", ManualTimeProvider.DefaultStart), null!]));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task ImportTasksAsync_invalid_record_writes_nothing_of_the_batch()
    {
        var existing = await CreateAsync("t-0");
        var at = ManualTimeProvider.DefaultStart;

        await AssertInvalidAsync(
            "progress",
            () => Store.ImportTasksAsync([PendingTask("t-0", at.AddDays(-1), AgentTaskType.Heal), PendingTask("t-1", at) with { Progress = 101 }, PendingTask("t-2", at)]));

        Assert.Equal([existing], await StreamAllAsync());
        Assert.Equal(new AgentTaskCounts(1, 0, 0, 0, 0), await Store.CountTasksByStatusAsync());
    }

    [Theory]
    [InlineData("created_at")]
    [InlineData("updated_at")]
    [InlineData("claimed_at")]
    [InlineData("started_at")]
    public virtual async Task ImportTasksAsync_time_finer_than_a_microsecond_throws_validation_error_on_that_time(string field)
    {
        var task = FullTask("t-1", ManualTimeProvider.DefaultStart.AddDays(-1));
        var tooFine = field switch
        {
            "created_at" => task with { CreatedAt = task.CreatedAt.AddTicks(1) },
            "updated_at" => task with { UpdatedAt = task.UpdatedAt.AddTicks(1) },
            "claimed_at" => task with { ClaimedAt = task.ClaimedAt!.Value.AddTicks(9) },
            _ => task with { StartedAt = task.StartedAt!.Value.AddTicks(5) },
        };

        await AssertInvalidAsync(field, () => Store.ImportTasksAsync([tooFine]));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task ImportTasksAsync_updated_before_created_throws_validation_error_on_updated_at()
    {
        var task = PendingTask("t-1", ManualTimeProvider.DefaultStart);

        await AssertInvalidAsync("updated_at", () => Store.ImportTasksAsync([task with { UpdatedAt = task.CreatedAt.AddTicks(-10) }]));
    }

    [Fact]
    public virtual async Task ImportTasksAsync_claimed_by_and_claimed_at_must_be_set_together()
    {
        var task = FullTask("t-1", ManualTimeProvider.DefaultStart);

        await AssertInvalidAsync("claimed_at", () => Store.ImportTasksAsync([task with { ClaimedAt = null }]));
        await AssertInvalidAsync("claimed_at", () => Store.ImportTasksAsync([task with { ClaimedBy = null }]));
        await AssertInvalidAsync("worker_id", () => Store.ImportTasksAsync([task with { ClaimedBy = "  " }]));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task ImportTasksAsync_invalid_fields_throw_the_same_validation_errors_as_create_and_update()
    {
        var task = FullTask("t-1", ManualTimeProvider.DefaultStart);

        await AssertInvalidAsync("id", () => Store.ImportTasksAsync([task with { Id = "bad id" }]));
        await AssertInvalidAsync("direction", () => Store.ImportTasksAsync([task with { Direction = " " }]));
        await AssertInvalidAsync("task_type", () => Store.ImportTasksAsync([task with { TaskType = (AgentTaskType)9 }]));
        await AssertInvalidAsync("status", () => Store.ImportTasksAsync([task with { Status = (AgentTaskStatus)9 }]));
        await AssertInvalidAsync("progress", () => Store.ImportTasksAsync([task with { Progress = -1 }]));
        await AssertInvalidAsync("output", () => Store.ImportTasksAsync([task with { Output = "\0" }]));
        await AssertInvalidAsync("current_step", () => Store.ImportTasksAsync([task with { CurrentStep = "" }]));
        await AssertInvalidAsync("decision", () => Store.ImportTasksAsync([task with { Decision = "\udc00" }]));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task ImportTasksAsync_short_text_is_normalized_like_on_create()
    {
        var task = FullTask("t-1", ManualTimeProvider.DefaultStart) with
        {
            Direction = "  Review \n",
            Model = "   ",
            Tier = " gold ",
            CurrentStep = " step ",
            ClaimedBy = " worker-7 ",
        };

        await Store.ImportTasksAsync([task]);

        Assert.Equal(
            task with { Direction = "Review", Model = null, Tier = "gold", CurrentStep = "step", ClaimedBy = "worker-7" },
            await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task ImportTasksAsync_caller_changing_its_list_afterwards_changes_nothing()
    {
        var batch = new List<AgentTask> { PendingTask("t-1", ManualTimeProvider.DefaultStart) };
        await Store.ImportTasksAsync(batch);

        batch[0] = PendingTask("t-2", ManualTimeProvider.DefaultStart);
        batch.Clear();

        Assert.Equal(["t-1"], IdsOf(await StreamAllAsync()));
    }
}
