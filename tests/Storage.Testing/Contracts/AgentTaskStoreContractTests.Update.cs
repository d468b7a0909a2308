namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    [Fact]
    public virtual async Task UpdateTaskAsync_status_replaces_the_status_and_sets_updated_at()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        var updated = await SetStatusAsync("t-1", AgentTaskStatus.Completed);

        Assert.Equal(created with { Status = AgentTaskStatus.Completed, UpdatedAt = Now }, updated);
        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_output_is_kept_exactly_and_changes_nothing_else()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Output = "  line 1\n\tline 2 \U0001F600 " });

        Assert.Equal(created with { Output = "  line 1\n\tline 2 \U0001F600 ", UpdatedAt = Now }, updated);
        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_empty_output_is_stored_as_empty_text()
    {
        await CreateAsync("t-1");

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Output = "" });

        Assert.Equal(string.Empty, updated.Output);
        Assert.Equal(string.Empty, (await Store.GetTaskAsync("t-1"))!.Output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(57)]
    [InlineData(100)]
    public virtual async Task UpdateTaskAsync_progress_from_0_to_100_replaces_only_progress(int progress)
    {
        var created = await Store.UpdateTaskAsync((await CreateAsync("t-1")).Id, new AgentTaskUpdate { Progress = 10 });
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Progress = progress });

        Assert.Equal(created with { Progress = progress, UpdatedAt = Now }, updated);
        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(int.MinValue)]
    public virtual async Task UpdateTaskAsync_progress_outside_0_to_100_throws_validation_error_on_progress(int progress)
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        await AssertInvalidAsync("progress", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Progress = progress }));

        Assert.Equal(created, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_current_step_is_trimmed_and_changes_nothing_else()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { CurrentStep = "  running tests \n" });

        Assert.Equal(created with { CurrentStep = "running tests", UpdatedAt = Now }, updated);
        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public virtual async Task UpdateTaskAsync_blank_current_step_throws_validation_error_on_current_step(string currentStep)
    {
        await CreateAsync("t-1");

        await AssertInvalidAsync("current_step", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { CurrentStep = currentStep }));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_decision_prompt_is_kept_exactly_and_does_not_change_the_status()
    {
        var asked = await CreateWithStatusAsync("t-1", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { DecisionPrompt = " Proceed?\n" });

        Assert.Equal(asked with { DecisionPrompt = " Proceed?\n", UpdatedAt = Now }, updated);
        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_decision_on_needs_decision_task_moves_it_to_running_and_sets_started_at()
    {
        var asked = await CreateWithStatusAsync("t-1", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Decision = " yes " });

        var now = Now;
        Assert.Equal(asked with { Status = AgentTaskStatus.Running, Decision = " yes ", StartedAt = now, UpdatedAt = now }, updated);
        Assert.Null(updated.ClaimedBy);
        Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
    }

    [Theory]
    [InlineData(AgentTaskStatus.Failed)]
    [InlineData(AgentTaskStatus.Completed)]
    [InlineData(AgentTaskStatus.NeedsDecision)]
    [InlineData(AgentTaskStatus.Pending)]
    public virtual async Task UpdateTaskAsync_decision_with_explicit_status_takes_that_status(AgentTaskStatus status)
    {
        var asked = await CreateWithStatusAsync("t-1", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Decision = "no", Status = status });

        Assert.Equal(asked with { Status = status, Decision = "no", UpdatedAt = Now }, updated);
        Assert.Null(updated.StartedAt);
    }

    [Theory]
    [InlineData(AgentTaskStatus.Pending)]
    [InlineData(AgentTaskStatus.Completed)]
    [InlineData(AgentTaskStatus.Failed)]
    public virtual async Task UpdateTaskAsync_decision_on_task_not_needing_one_keeps_its_status(AgentTaskStatus status)
    {
        var before = await CreateWithStatusAsync("t-1", status);
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Decision = "yes" });

        Assert.Equal(before with { Decision = "yes", UpdatedAt = Now }, updated);
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_entering_running_sets_started_at_without_claiming()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        var updated = await SetStatusAsync("t-1", AgentTaskStatus.Running);

        var now = Now;
        Assert.Equal(created with { Status = AgentTaskStatus.Running, StartedAt = now, UpdatedAt = now }, updated);
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_started_at_is_set_once_and_never_moved()
    {
        await CreateAsync("t-1");
        Time.Advance(Tick);
        var started = (await SetStatusAsync("t-1", AgentTaskStatus.Running)).StartedAt;
        Time.Advance(Tick);
        await SetStatusAsync("t-1", AgentTaskStatus.NeedsDecision);
        Time.Advance(Tick);
        var resumed = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Decision = "go on" });
        Time.Advance(Tick);
        var again = await SetStatusAsync("t-1", AgentTaskStatus.Running);
        Time.Advance(Tick);
        var completed = await SetStatusAsync("t-1", AgentTaskStatus.Completed);

        Assert.NotNull(started);
        Assert.Equal(AgentTaskStatus.Running, resumed.Status);
        Assert.Equal([started, started, started], new[] { resumed.StartedAt, again.StartedAt, completed.StartedAt });
        Assert.Equal(Now, completed.UpdatedAt);
    }

    [Theory]
    [InlineData(AgentTaskStatus.Completed)]
    [InlineData(AgentTaskStatus.Failed)]
    [InlineData(AgentTaskStatus.NeedsDecision)]
    public virtual async Task UpdateTaskAsync_status_other_than_running_leaves_started_at_null(AgentTaskStatus status)
    {
        await CreateAsync("t-1");

        var updated = await SetStatusAsync("t-1", status);

        Assert.Null(updated.StartedAt);
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_sets_updated_at_to_now_on_every_update_and_keeps_created_at()
    {
        var created = await CreateAsync("t-1");

        for (var i = 1; i <= 3; i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(1.5));
            var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate { Progress = i });

            Assert.Equal(Now, updated.UpdatedAt);
            Assert.Equal(created.CreatedAt, updated.CreatedAt);
            Assert.Equal(updated, await Store.GetTaskAsync("t-1"));
        }
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_with_every_field_set_replaces_all_of_them()
    {
        var created = await CreateAsync("t-1");
        Time.Advance(Tick);

        var updated = await Store.UpdateTaskAsync("t-1", new AgentTaskUpdate
        {
            Status = AgentTaskStatus.NeedsDecision,
            Output = "partial output",
            Progress = 80,
            CurrentStep = "waiting",
            DecisionPrompt = "Ship it?",
            Decision = "not yet",
        });

        Assert.Equal(
            created with
            {
                Status = AgentTaskStatus.NeedsDecision,
                Output = "partial output",
                Progress = 80,
                CurrentStep = "waiting",
                DecisionPrompt = "Ship it?",
                Decision = "not yet",
                UpdatedAt = Now,
            },
            updated);
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_keeps_the_claim()
    {
        await CreateAsync("t-1");
        var claimed = await Store.ClaimTaskAsync("t-1", "worker-1");
        Time.Advance(Tick);

        var completed = await SetStatusAsync("t-1", AgentTaskStatus.Completed);

        Assert.Equal(claimed with { Status = AgentTaskStatus.Completed, UpdatedAt = Now }, completed);
        Assert.Equal("worker-1", completed.ClaimedBy);
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_missing_task_throws_not_found()
    {
        await CreateAsync("t-1");

        await AssertTaskNotFoundAsync("t-2", () => SetStatusAsync("t-2", AgentTaskStatus.Running));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_empty_update_throws_validation_error_on_update()
    {
        var created = await CreateAsync("t-1");

        await AssertInvalidAsync("update", () => Store.UpdateTaskAsync("t-1", new AgentTaskUpdate()));

        Assert.Equal(created, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_reports_invalid_input_before_a_missing_task()
    {
        await AssertInvalidAsync("update", () => Store.UpdateTaskAsync("missing", new AgentTaskUpdate()));
    }

    [Fact]
    public virtual async Task UpdateTaskAsync_reports_an_invalid_id_before_an_invalid_update()
    {
        await AssertInvalidAsync("id", () => Store.UpdateTaskAsync("bad id", new AgentTaskUpdate()));
    }
}
