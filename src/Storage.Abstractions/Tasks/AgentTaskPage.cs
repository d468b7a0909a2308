namespace Storage.Abstractions;

/// <summary>One page of tasks and the exact number of tasks matching the filters, whatever the paging.</summary>
public sealed record AgentTaskPage(IReadOnlyList<AgentTask> Items, long Total);
