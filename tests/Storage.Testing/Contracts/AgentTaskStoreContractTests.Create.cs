using System.Text.RegularExpressions;

namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    [Fact]
    public virtual async Task CreateTaskAsync_new_task_is_pending_with_progress_zero_and_created_and_updated_now()
    {
        Time.Advance(TimeSpan.FromTicks(1_234_567)); // a clock finer than a microsecond is truncated
        var now = Now;

        var task = await Store.CreateTaskAsync(new NewAgentTask("Write the specification", AgentTaskType.Test) { Id = "t-1" });

        var expected = new AgentTask(
            "t-1", "Write the specification", AgentTaskType.Test, AgentTaskStatus.Pending, Model: null, Command: null,
            Output: null, JsonMetadata.Empty, Progress: 0, CurrentStep: null, DecisionPrompt: null, Decision: null,
            Tier: null, ClaimedBy: null, ClaimedAt: null, StartedAt: null, now, now);
        Assert.Equal(expected, task);
        Assert.Equal(TimeSpan.Zero, task.CreatedAt.Offset);
        Assert.Equal(expected, await Store.GetTaskAsync("t-1"));
    }

    [Fact]
    public virtual async Task CreateTaskAsync_without_id_generates_task_prefix_and_32_lowercase_hex_digits()
    {
        var task = await CreateAsync();

        Assert.Matches(new Regex("^task_[0-9a-f]{32}$"), task.Id);
        Assert.Equal(task, await Store.GetTaskAsync(task.Id));
    }

    [Fact]
    public virtual async Task CreateTaskAsync_without_id_takes_the_uuid_from_the_injected_generator()
    {
        var task = await CreateAsync();

        var sameSequence = new SequentialIdGenerator();
        var candidates = Enumerable.Range(0, 16).Select(_ => "task_" + sameSequence.NewId().ToString("N"));
        Assert.Contains(task.Id, candidates);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_without_id_twice_generates_two_different_ids()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, (await Store.CountTasksByStatusAsync()).Pending);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_with_id_keeps_it_exactly()
    {
        var task = await CreateAsync("Task:42.a-b_C");

        Assert.Equal("Task:42.a-b_C", task.Id);
        Assert.Equal(task, await Store.GetTaskAsync("Task:42.a-b_C"));
        Assert.Null(await Store.GetTaskAsync("task:42.a-b_c"));
    }

    [Fact]
    public virtual async Task CreateTaskAsync_taken_id_throws_conflict_and_keeps_the_first_task()
    {
        var first = await CreateAsync("t-1");
        Time.Advance(Tick);

        await AssertConflictAsync(
            StorageErrors.TaskExists("t-1"),
            () => Store.CreateTaskAsync(NewTask("t-1", AgentTaskType.Heal, "Another direction")));

        Assert.Equal(first, await Store.GetTaskAsync("t-1"));
        Assert.Equal(1, (await Store.CountTasksByStatusAsync()).Total);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_id_of_50_characters_is_accepted()
    {
        var id = new string('a', 49) + "9";

        var task = await CreateAsync(id);

        Assert.Equal(id, task.Id);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_id_of_51_characters_throws_validation_error_on_id()
    {
        await AssertInvalidAsync("id", () => CreateAsync(new string('a', 51)));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_id_of_every_allowed_character_kind_is_accepted()
    {
        const string id = "AZaz09-_.:";

        var task = await CreateAsync(id);

        Assert.Equal(task, await Store.GetTaskAsync(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData(" padded")]
    [InlineData("slash/id")]
    [InlineData("plus+id")]
    [InlineData("tab\tid")]
    [InlineData("\u00fcmlaut")]
    [InlineData("emoji\U0001F600")]
    [InlineData("nul\0id")]
    public virtual async Task CreateTaskAsync_id_empty_or_with_a_disallowed_character_throws_validation_error_on_id(string id)
    {
        await AssertInvalidAsync("id", () => CreateAsync(id));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_direction_is_trimmed()
    {
        var task = await Store.CreateTaskAsync(NewTask("t-1", direction: " \t Write the spec \n "));

        Assert.Equal("Write the spec", task.Direction);
        Assert.Equal("Write the spec", (await Store.GetTaskAsync("t-1"))!.Direction);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n ")]
    [InlineData("\u00a0\u2003")]
    public virtual async Task CreateTaskAsync_empty_or_whitespace_direction_throws_validation_error_on_direction(string direction)
    {
        await AssertInvalidAsync("direction", () => Store.CreateTaskAsync(NewTask(direction: direction)));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_direction_of_5000_characters_is_accepted()
    {
        var direction = new string('d', 5000);

        var task = await Store.CreateTaskAsync(NewTask("t-1", direction: direction));

        Assert.Equal(direction, (await Store.GetTaskAsync(task.Id))!.Direction);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_direction_of_5001_characters_throws_validation_error_on_direction()
    {
        await AssertInvalidAsync("direction", () => Store.CreateTaskAsync(NewTask(direction: new string('d', 5001))));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_direction_length_is_counted_after_trimming()
    {
        var direction = new string('d', 5000);

        var task = await Store.CreateTaskAsync(NewTask("t-1", direction: "   " + direction + "\n\n"));

        Assert.Equal(direction, task.Direction);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_unicode_direction_is_kept_exactly()
    {
        const string direction = "Pr\u00fcfe \u6f22\u5b57, \u0627\u0644\u0639\u0631\u0628\u064a\u0629, \U0001F469\u200D\U0001F4BB und \U0001D11E";

        await Store.CreateTaskAsync(NewTask("t-1", direction: direction));

        Assert.Equal(direction, (await Store.GetTaskAsync("t-1"))!.Direction);
        Assert.Equal(direction, Assert.Single(await StreamAllAsync()).Direction);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_direction_length_counts_utf16_code_units()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 2500)); // 2,500 code points, 5,000 code units

        var task = await Store.CreateTaskAsync(NewTask("t-1", direction: emoji));

        Assert.Equal(emoji, task.Direction);
        await AssertInvalidAsync("direction", () => Store.CreateTaskAsync(NewTask("t-2", direction: emoji + "\U0001F600")));
    }

    [Fact]
    public virtual async Task CreateTaskAsync_direction_with_nul_character_throws_validation_error_on_direction()
    {
        await AssertInvalidAsync("direction", () => Store.CreateTaskAsync(NewTask(direction: "before\0after")));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_direction_with_unpaired_surrogate_throws_validation_error_on_direction()
    {
        // Built in code: attribute arguments cannot carry unpaired surrogates.
        string[] directions = ["\ud83d", "lone low \ude00 surrogate", "reversed pair \ude00\ud83d", "ends with high \ud83d"];

        foreach (var direction in directions)
        {
            await AssertInvalidAsync("direction", () => Store.CreateTaskAsync(NewTask(direction: direction)));
        }

        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_undefined_task_type_throws_validation_error_on_task_type()
    {
        await AssertInvalidAsync("task_type", () => CreateAsync("t-1", (AgentTaskType)99));
        await AssertStoreIsEmptyAsync();
    }

    [Fact]
    public virtual async Task CreateTaskAsync_model_and_tier_are_trimmed_and_blank_becomes_null()
    {
        var trimmed = await Store.CreateTaskAsync(NewTask("t-1") with { Model = "  model-large ", Tier = "\tgold\n" });
        var blank = await Store.CreateTaskAsync(NewTask("t-2") with { Model = "   ", Tier = "" });

        Assert.Equal("model-large", trimmed.Model);
        Assert.Equal("gold", trimmed.Tier);
        Assert.Null(blank.Model);
        Assert.Null(blank.Tier);
        Assert.Equal(trimmed, await Store.GetTaskAsync("t-1"));
        Assert.Equal(blank, await Store.GetTaskAsync("t-2"));
    }

    [Fact]
    public virtual async Task CreateTaskAsync_command_and_context_are_kept_exactly()
    {
        var context = JsonMetadata.Parse("""{ "zeta": 1.50, "alpha": ["x", {"b": null, "a": "\u00e9"}] }""", "context");

        var task = await Store.CreateTaskAsync(NewTask("t-1") with { Command = "  dotnet test\n\t--no-build  ", Context = context });

        var stored = (await Store.GetTaskAsync("t-1"))!;
        Assert.Equal("  dotnet test\n\t--no-build  ", stored.Command);
        Assert.Equal("""{"alpha":["x",{"a":"é","b":null}],"zeta":1.50}""", stored.Context.Json);
        Assert.Equal(task, stored);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_empty_command_is_kept_as_empty_text()
    {
        var task = await Store.CreateTaskAsync(NewTask("t-1") with { Command = "" });

        Assert.Equal(string.Empty, task.Command);
        Assert.Equal(string.Empty, (await Store.GetTaskAsync("t-1"))!.Command);
    }

    [Fact]
    public virtual async Task CreateTaskAsync_reports_an_invalid_direction_before_an_invalid_id()
    {
        await AssertInvalidAsync("direction", () => Store.CreateTaskAsync(NewTask("bad id", direction: " ")));
    }

    [Fact]
    public virtual async Task CreateTaskAsync_reports_invalid_input_before_a_taken_id()
    {
        await CreateAsync("t-1");

        await AssertInvalidAsync("direction", () => Store.CreateTaskAsync(NewTask("t-1", direction: "")));
    }

    [Fact]
    public virtual async Task GetTaskAsync_missing_id_returns_null()
    {
        await CreateAsync("t-1");

        Assert.Null(await Store.GetTaskAsync("t-2"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad id")]
    public virtual async Task GetTaskAsync_invalid_id_throws_validation_error_on_id(string id)
    {
        await AssertInvalidAsync("id", () => Store.GetTaskAsync(id));
    }
}
