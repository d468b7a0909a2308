namespace Storage.Consistency;

/// <summary>The record kinds in walking order, and their stored names (the snapshot tags).</summary>
public static class RecordKinds
{
    /// <summary>Every kind, in the order the checker walks and repairs them.</summary>
    public static IReadOnlyList<RecordKind> All { get; } = Enum.GetValues<RecordKind>();

    /// <summary>The stored name of a kind: <c>project</c>, <c>dependency</c>, <c>contributor</c>, <c>asset</c>, <c>contribution</c>, <c>agent_task</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined kind.</exception>
    public static string Name(this RecordKind kind) => kind switch
    {
        RecordKind.Project => "project",
        RecordKind.Dependency => "dependency",
        RecordKind.Contributor => "contributor",
        RecordKind.Asset => "asset",
        RecordKind.Contribution => "contribution",
        RecordKind.AgentTask => "agent_task",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a record kind."),
    };
}
