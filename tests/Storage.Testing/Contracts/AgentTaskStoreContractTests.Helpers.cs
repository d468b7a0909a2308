namespace Storage.Testing;

public abstract partial class AgentTaskStoreContractTests
{
    /// <summary>How far tests move the clock between operations whose order matters.</summary>
    protected static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>The time a store must record for an operation run now: the clock truncated to whole microseconds.</summary>
    protected DateTimeOffset Now => StorageTime.Now(Time);

    /// <summary>A new task with the given id (generated when null), type and direction.</summary>
    protected static NewAgentTask NewTask(string? id = null, AgentTaskType type = AgentTaskType.Spec, string direction = "Write the specification")
        => new(direction, type) { Id = id };

    /// <summary>Creates a task through the store.</summary>
    protected Task<AgentTask> CreateAsync(string? id = null, AgentTaskType type = AgentTaskType.Spec)
        => Store.CreateTaskAsync(NewTask(id, type));

    /// <summary>Creates a task and, unless <paramref name="status"/> is pending, moves it there with an update.</summary>
    protected async Task<AgentTask> CreateWithStatusAsync(string id, AgentTaskStatus status, AgentTaskType type = AgentTaskType.Spec)
    {
        var task = await CreateAsync(id, type);
        return status == AgentTaskStatus.Pending
            ? task
            : await Store.UpdateTaskAsync(id, new AgentTaskUpdate { Status = status });
    }

    /// <summary>Applies a status-only update.</summary>
    protected Task<AgentTask> SetStatusAsync(string id, AgentTaskStatus status, CancellationToken cancellationToken = default)
        => Store.UpdateTaskAsync(id, new AgentTaskUpdate { Status = status }, cancellationToken);

    /// <summary>
    /// A task as an import carries it: every field set, times at microsecond precision, claimed by <c>worker-7</c>
    /// (claimed-by and claimed-at are cleared for statuses that are not running).
    /// </summary>
    protected static AgentTask FullTask(
        string id,
        DateTimeOffset createdAt,
        AgentTaskStatus status = AgentTaskStatus.Running,
        AgentTaskType type = AgentTaskType.Review)
    {
        var running = status == AgentTaskStatus.Running;
        return new AgentTask(
            id,
            "Review the migration of the ledger",
            type,
            status,
            "model-large",
            "  run --all\n",
            "line 1\n  line 2 ",
            JsonMetadata.Parse("""{"retries":[1,2.50],"area":{"name":"ledger","ok":true}}"""),
            42,
            "checking totals",
            "Proceed with the cut-over?",
            "yes, proceed",
            "gold",
            running ? "worker-7" : null,
            running ? createdAt.AddSeconds(2).AddTicks(1230) : null,
            createdAt.AddSeconds(1).AddTicks(10),
            createdAt,
            createdAt.AddSeconds(3).AddTicks(4560));
    }

    /// <summary>A pending task as an import carries it, created and updated at <paramref name="createdAt"/>.</summary>
    protected static AgentTask PendingTask(string id, DateTimeOffset createdAt, AgentTaskType type = AgentTaskType.Spec)
        => new(
            id, "Imported direction", type, AgentTaskStatus.Pending, Model: null, Command: null, Output: null,
            JsonMetadata.Empty, Progress: 0, CurrentStep: null, DecisionPrompt: null, Decision: null, Tier: null,
            ClaimedBy: null, ClaimedAt: null, StartedAt: null, createdAt, createdAt);

    /// <summary>Imports <paramref name="count"/> pending tasks <c>n-000</c>, <c>n-001</c>, ..., each created a second after the one before.</summary>
    protected async Task<AgentTask[]> ImportPendingAsync(int count)
    {
        var start = ManualTimeProvider.DefaultStart.AddDays(-1);
        var tasks = Enumerable.Range(0, count)
            .Select(i => PendingTask($"n-{i:D3}", start.AddSeconds(i)))
            .ToArray();
        Assert.Equal(count, await Store.ImportTasksAsync(tasks));
        return tasks;
    }

    /// <summary>Every stored task, through the stream.</summary>
    protected async Task<List<AgentTask>> StreamAllAsync(CancellationToken cancellationToken = default)
    {
        var tasks = new List<AgentTask>();
        await foreach (var task in Store.StreamTasksAsync(cancellationToken))
        {
            tasks.Add(task);
        }

        return tasks;
    }

    /// <summary>The ids of a list of tasks, in order.</summary>
    protected static string[] IdsOf(IEnumerable<AgentTask> tasks) => tasks.Select(t => t.Id).ToArray();

    /// <summary>Asserts that the store holds no task at all.</summary>
    protected async Task AssertStoreIsEmptyAsync()
    {
        Assert.Equal(new AgentTaskCounts(0, 0, 0, 0, 0), await Store.CountTasksByStatusAsync());
        Assert.Empty(await StreamAllAsync());
    }

    /// <summary>Asserts a <see cref="StorageValidationException"/> naming <paramref name="field"/>.</summary>
    protected static async Task<StorageValidationException> AssertInvalidAsync(string field, Func<Task> operation)
    {
        var exception = await Assert.ThrowsAsync<StorageValidationException>(operation);
        Assert.Equal(field, exception.Field);
        return exception;
    }

    /// <summary>Asserts a <see cref="StorageConflictException"/> with the same message as <paramref name="expected"/>.</summary>
    protected static async Task AssertConflictAsync(StorageConflictException expected, Func<Task> operation)
    {
        var exception = await Assert.ThrowsAsync<StorageConflictException>(operation);
        Assert.Equal(expected.Message, exception.Message);
    }

    /// <summary>Asserts the not-found error for the task <paramref name="id"/>.</summary>
    protected static async Task AssertTaskNotFoundAsync(string id, Func<Task> operation)
    {
        var exception = await Assert.ThrowsAsync<EntityNotFoundException>(operation);
        Assert.Equal("agent_task", exception.Entity);
        Assert.Equal(id, exception.Key);
        Assert.Equal(StorageErrors.TaskNotFound(id).Message, exception.Message);
    }

    /// <summary>Tries to overwrite the first item of a returned list; a read-only list may refuse.</summary>
    protected static void TryOverwriteFirst(IReadOnlyList<AgentTask> items, AgentTask replacement)
    {
        if (items is IList<AgentTask> list && list.Count > 0)
        {
            try
            {
                list[0] = replacement;
            }
            catch (NotSupportedException)
            {
                // A read-only list is as good as a copy: the caller cannot change it.
            }
        }
    }
}
