namespace Storage.DualWrite.Tests;

/// <summary>An <see cref="IAgentTaskStore"/> that passes every call to <see cref="Inner"/> through a <see cref="FaultInjector"/>.</summary>
internal sealed class FaultyAgentTaskStore(IAgentTaskStore inner, FaultInjector faults) : IAgentTaskStore
{
    public IAgentTaskStore Inner { get; } = inner;

    public Task<AgentTask> CreateTaskAsync(NewAgentTask task, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.CreateTaskAsync(task, cancellationToken), cancellationToken);

    public Task<AgentTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.GetTaskAsync(id, cancellationToken), cancellationToken);

    public Task<AgentTask> UpdateTaskAsync(string id, AgentTaskUpdate update, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.UpdateTaskAsync(id, update, cancellationToken), cancellationToken);

    public Task<AgentTask> ClaimTaskAsync(string id, string workerId, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ClaimTaskAsync(id, workerId, cancellationToken), cancellationToken);

    public Task<AgentTaskPage> ListTasksAsync(AgentTaskQuery query, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ListTasksAsync(query, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AgentTask>> ListAttentionTasksAsync(int limit = 50, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ListAttentionTasksAsync(limit, cancellationToken), cancellationToken);

    public Task<AgentTaskCounts> CountTasksByStatusAsync(CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.CountTasksByStatusAsync(cancellationToken), cancellationToken);

    public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default) => faults.StreamAsync(() => Inner.StreamTasksAsync(cancellationToken), cancellationToken);

    public Task<int> ImportTasksAsync(IReadOnlyCollection<AgentTask> tasks, CancellationToken cancellationToken = default) => faults.RunAsync(() => Inner.ImportTasksAsync(tasks, cancellationToken), cancellationToken);
}
