namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    [Fact]
    public virtual async Task ClaimTaskAsync_pending_task_becomes_running_and_claimed_by_the_worker()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        var claimed = await Store.ClaimTaskAsync("t-1", "worker-1");

        var now = Now;
        Assert.Equal(
            created with { Status = AgentTaskStatus.Running, ClaimedBy = "worker-1", ClaimedAt = now, StartedAt = now, UpdatedAt = now },
            claimed);
        Assert.Equal(claimed, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_needs_decision_task_becomes_running_and_claimed_by_the_worker()
    {
        var asked = await CreateWithStatusAsync("t-1", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);

        var claimed = await Store.ClaimTaskAsync("t-1", "worker-1");

        var now = Now;
        Assert.Equal(
            asked with { Status = AgentTaskStatus.Running, ClaimedBy = "worker-1", ClaimedAt = now, StartedAt = now, UpdatedAt = now },
            claimed);
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_keeps_an_earlier_started_at()
    {
        await CreateAsync("t-1");
        Time.Advance(Tick);
        var started = (await SetStatusAsync("t-1", AgentTaskStatus.Running)).StartedAt;
        Time.Advance(Tick);
        await SetStatusAsync("t-1", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);

        var claimed = await Store.ClaimTaskAsync("t-1", "worker-1");

        Assert.Equal(started, claimed.StartedAt);
        Assert.Equal(Now, claimed.ClaimedAt);
        Assert.Equal(Now, claimed.UpdatedAt);
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_worker_id_is_trimmed()
    {
        await CreateAsync("t-1");

        var claimed = await Store.ClaimTaskAsync("t-1", "  worker-1\t");

        Assert.Equal("worker-1", claimed.ClaimedBy);
        Assert.Equal("worker-1", (await Store.GetTaskAsync("t-1"))!.ClaimedBy);
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_by_the_same_worker_again_returns_the_task_unchanged()
    {
        await CreateAsync("t-1");
        var first = await Store.ClaimTaskAsync("t-1", "worker-1");
        Time.Advance(Tick);

        var again = await Store.ClaimTaskAsync("t-1", " worker-1 ");

        Assert.Equal(first, again);
        Assert.Equal(first.UpdatedAt, again.UpdatedAt);
        Assert.Equal(first, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_by_another_worker_throws_conflict_and_keeps_the_claim()
    {
        await CreateAsync("t-1");
        var claimed = await Store.ClaimTaskAsync("t-1", "worker-1");
        Time.Advance(Tick);

        await AssertConflictAsync(StorageErrors.ClaimedByAnother("t-1"), () => Store.ClaimTaskAsync("t-1", "worker-2"));

        Assert.Equal(claimed, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_worker_ids_differing_only_in_case_are_different_workers()
    {
        await CreateAsync("t-1");
        await Store.ClaimTaskAsync("t-1", "worker-1");

        await AssertConflictAsync(StorageErrors.ClaimedByAnother("t-1"), () => Store.ClaimTaskAsync("t-1", "WORKER-1"));
    }

    [Theory]
    [InlineData(AgentTaskStatus.Completed)]
    [InlineData(AgentTaskStatus.Failed)]
    public virtual async Task ClaimTaskAsync_finished_task_throws_not_claimable_conflict(AgentTaskStatus status)
    {
        var finished = await CreateWithStatusAsync("t-1", status);
        Time.Advance(Tick);

        await AssertConflictAsync(StorageErrors.NotClaimable("t-1", status), () => Store.ClaimTaskAsync("t-1", "worker-1"));

        Assert.Equal(finished, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_running_task_without_claim_throws_not_claimable_conflict()
    {
        var running = await CreateWithStatusAsync("t-1", AgentTaskStatus.Running);
        Time.Advance(Tick);

        await AssertConflictAsync(
            StorageErrors.NotClaimable("t-1", AgentTaskStatus.Running),
            () => Store.ClaimTaskAsync("t-1", "worker-1"));

        Assert.Equal(running, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_claimed_task_put_back_to_pending_is_claimed_by_the_new_worker()
    {
        await CreateAsync("t-1");
        var first = await Store.ClaimTaskAsync("t-1", "worker-1");
        Time.Advance(Tick);
        await SetStatusAsync("t-1", AgentTaskStatus.Pending);
        Time.Advance(Tick);

        var second = await Store.ClaimTaskAsync("t-1", "worker-2");

        var now = Now;
        Assert.Equal(
            first with { ClaimedBy = "worker-2", ClaimedAt = now, UpdatedAt = now },
            second);
        Assert.Equal(first.StartedAt, second.StartedAt);
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_missing_task_throws_not_found()
    {
        await CreateAsync("t-1");

        await AssertTaskNotFoundAsync("t-2", () => Store.ClaimTaskAsync("t-2", "worker-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public virtual async Task ClaimTaskAsync_empty_or_blank_worker_id_throws_validation_error_on_worker_id(string? workerId)
    {
        var created = await CreateAsync("t-1");

        await AssertInvalidAsync("worker_id", () => Store.ClaimTaskAsync("t-1", workerId!));

        Assert.Equal(created, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_worker_id_of_100_characters_is_accepted()
    {
        await CreateAsync("t-1");
        var worker = new string('w', 100);

        var claimed = await Store.ClaimTaskAsync("t-1", worker);

        Assert.Equal(worker, claimed.ClaimedBy);
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_worker_id_of_101_characters_throws_validation_error_on_worker_id()
    {
        await CreateAsync("t-1");

        await AssertInvalidAsync("worker_id", () => Store.ClaimTaskAsync("t-1", new string('w', 101)));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_reports_an_invalid_id_before_an_invalid_worker_id()
    {
        await AssertInvalidAsync("id", () => Store.ClaimTaskAsync("bad id", " "));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_reports_an_invalid_worker_id_before_a_missing_task()
    {
        await AssertInvalidAsync("worker_id", () => Store.ClaimTaskAsync("missing", ""));
    }

    [Fact]
    public virtual async Task ClaimTaskAsync_concurrent_claims_from_eight_workers_have_exactly_one_winner()
    {
        await CreateAsync("contended");
        using var ready = new Barrier(8);

        async Task<(string Worker, AgentTask? Claimed, StorageConflictException? Conflict)> AttemptAsync(string worker)
        {
            try
            {
                return (worker, await Store.ClaimTaskAsync("contended", worker), null);
            }
            catch (StorageConflictException conflict)
            {
                return (worker, null, conflict);
            }
        }

        // One thread per worker, released together, so the claims really overlap.
        var attempts = Enumerable.Range(1, 8)
            .Select(i => Task.Factory.StartNew(
                () =>
                {
                    ready.SignalAndWait();
                    return AttemptAsync($"worker-{i}");
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap())
            .ToArray();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Claimed is not null);
        var losers = results.Where(r => r.Claimed is null).ToArray();
        Assert.Equal(7, losers.Length);
        Assert.All(losers, r => Assert.Equal(StorageErrors.ClaimedByAnother("contended").Message, r.Conflict?.Message));
        var stored = await Store.GetTaskAsync("contended");
        Assert.Equal(winner.Claimed, stored);
        Assert.Equal(winner.Worker, stored!.ClaimedBy);
        Assert.Equal(new AgentTaskCounts(0, 1, 0, 0, 0), await Store.CountTasksByStatusAsync());
    }
}
