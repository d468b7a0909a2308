namespace Storage.DualWrite;

/// <summary>
/// An <see cref="IAgentTaskStore"/> over two backends, the source (migrated from) and the target (migrated to), routed
/// by the <see cref="MigrationFlags"/> in force, like <see cref="DualWriteGraphStore"/>: writes go to the authoritative
/// backend first and the resulting task is imported, as state, into the other; reads by id are sticky per id.
/// </summary>
/// <remarks>Thread safety: safe for concurrent use. Writes to one task are serialized across both backends, so claims stay atomic.</remarks>
public sealed class DualWriteAgentTaskStore : IAgentTaskStore, IKeyRepairer
{
    private static readonly EntityKey[] None = [];

    private readonly StorePair<IAgentTaskStore> _stores;
    private readonly DualWriteCoordinator _coordinator;

    /// <summary>Creates the decorator and registers it with the coordinator as the repairer of task keys.</summary>
    /// <param name="source">The backend migrated from (in practice in-memory).</param>
    /// <param name="target">The backend migrated to (in practice PostgreSQL).</param>
    /// <param name="coordinator">The flags, journal, locks and pipeline shared with the other decorator.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public DualWriteAgentTaskStore(IAgentTaskStore source, IAgentTaskStore target, DualWriteCoordinator coordinator)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(coordinator);
        _stores = new StorePair<IAgentTaskStore>(source, target);
        _coordinator = coordinator;
        coordinator.Register(this, EntityKind.AgentTask);
    }

    /// <summary>The backend migrated from.</summary>
    public IAgentTaskStore Source => _stores.Source;

    /// <summary>The backend migrated to.</summary>
    public IAgentTaskStore Target => _stores.Target;

    private IAgentTaskStore Authoritative => _stores.Get(_coordinator.Flags.Current.Authoritative);

    /// <inheritdoc/>
    public Task<AgentTask> CreateTaskAsync(NewAgentTask task, CancellationToken cancellationToken = default)
    {
        if (task is null)
        {
            return Authoritative.CreateTaskAsync(task!, cancellationToken);
        }

        if (task.Id is null)
        {
            return Write("CreateTask", None, (store, token) => store.CreateTaskAsync(task, token), static created => EntityKey.AgentTask(created.Id), cancellationToken);
        }

        return DualWriteKeys.TryTask(task.Id, out var key)
            ? Write("CreateTask", [key], (store, token) => store.CreateTaskAsync(task, token), null, cancellationToken)
            : Authoritative.CreateTaskAsync(task, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<AgentTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default)
        => _coordinator.ReadKeyed(_stores, "GetTask", id, DualWriteKeys.TryTask, static (store, i, token) => store.GetTaskAsync(i, token), cancellationToken);

    /// <inheritdoc/>
    public Task<AgentTask> UpdateTaskAsync(string id, AgentTaskUpdate update, CancellationToken cancellationToken = default)
        => DualWriteKeys.TryTask(id, out var key)
            ? Write("UpdateTask", [key], (store, token) => store.UpdateTaskAsync(id, update, token), null, cancellationToken)
            : Authoritative.UpdateTaskAsync(id, update, cancellationToken);

    /// <inheritdoc/>
    public Task<AgentTask> ClaimTaskAsync(string id, string workerId, CancellationToken cancellationToken = default)
        => DualWriteKeys.TryTask(id, out var key)
            ? Write("ClaimTask", [key], (store, token) => store.ClaimTaskAsync(id, workerId, token), null, cancellationToken)
            : Authoritative.ClaimTaskAsync(id, workerId, cancellationToken);

    /// <inheritdoc/>
    public Task<AgentTaskPage> ListTasksAsync(AgentTaskQuery query, CancellationToken cancellationToken = default)
        => _coordinator.ReadKeyless(_stores, "ListTasks", query, static (store, q, token) => store.ListTasksAsync(q, token), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentTask>> ListAttentionTasksAsync(int limit = 50, CancellationToken cancellationToken = default)
        => _coordinator.ReadKeyless(_stores, "ListAttentionTasks", limit, static (store, l, token) => store.ListAttentionTasksAsync(l, token), cancellationToken);

    /// <inheritdoc/>
    public Task<AgentTaskCounts> CountTasksByStatusAsync(CancellationToken cancellationToken = default)
        => _coordinator.ReadKeyless(_stores, "CountTasksByStatus", 0, static (store, _, token) => store.CountTasksByStatusAsync(token), cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default)
        => _coordinator.StreamStore(_stores).StreamTasksAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<int> ImportTasksAsync(IReadOnlyCollection<AgentTask> tasks, CancellationToken cancellationToken = default)
    {
        var keys = DualWriteKeys.TryAll(tasks, static t => DualWriteKeys.TryTask(t.Id, out var k) ? k : null);
        if (keys is null)
        {
            return Authoritative.ImportTasksAsync(tasks, cancellationToken);
        }

        return _coordinator.WriteAsync(
            _stores,
            this,
            "ImportTasks",
            locks: keys,
            known: keys,
            watch: None,
            write: (store, token) => store.ImportTasksAsync(tasks, token),
            affected: _ => keys,
            lockAfter: null,
            mirror: (store, _, token) => store.ImportTasksAsync(tasks, token),
            cancellationToken);
    }

    /// <inheritdoc/>
    async Task<T> IKeyRepairer.WithKeyLockedAsync<T>(EntityKey key, BackendRole good, Func<Task<T>> repair, CancellationToken cancellationToken)
    {
        using var held = await _coordinator.Locks.AcquireAsync(key, cancellationToken);
        return await repair();
    }

    /// <inheritdoc/>
    async Task IKeyRepairer.RepairHeldAsync(EntityKey key, BackendRole good, CancellationToken cancellationToken)
    {
        var from = _stores.Get(good);
        var to = _stores.Other(good);
        var id = key.First;
        if (await _coordinator.GuardAsync(token => from.GetTaskAsync(id, token), cancellationToken) is { } task)
        {
            await _coordinator.GuardAsync(token => to.ImportTasksAsync([task], token), cancellationToken);
        }
    }

    /// <summary>A write of one task: locked by id (or, for a generated id, after the authoritative write made it).</summary>
    private Task<AgentTask> Write(
        string operation,
        EntityKey[] keys,
        Func<IAgentTaskStore, CancellationToken, Task<AgentTask>> write,
        Func<AgentTask, EntityKey?>? lockAfter,
        CancellationToken cancellationToken)
        => _coordinator.WriteAsync(
            _stores,
            this,
            operation,
            locks: keys,
            known: keys,
            watch: None,
            write,
            affected: static task => [EntityKey.AgentTask(task.Id)],
            lockAfter,
            mirror: static (store, task, token) => store.ImportTasksAsync([task], token),
            cancellationToken);
}
