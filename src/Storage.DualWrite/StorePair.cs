namespace Storage.DualWrite;

/// <summary>The two backends a decorator wraps.</summary>
internal sealed class StorePair<TStore>(TStore source, TStore target)
    where TStore : class
{
    public TStore Source { get; } = source;

    public TStore Target { get; } = target;

    public TStore Get(BackendRole role) => role == BackendRole.Source ? Source : Target;

    public TStore Other(BackendRole role) => role == BackendRole.Source ? Target : Source;
}
