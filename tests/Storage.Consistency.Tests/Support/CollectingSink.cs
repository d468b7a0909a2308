using Storage.Consistency;

namespace Storage.Consistency.Tests.Support;

/// <summary>A sink that keeps every drift and every call, in order. Thread-safe.</summary>
public sealed class CollectingSink : IDriftSink
{
    private readonly Lock _lock = new();

    public List<Drift> Drifts { get; } = [];

    public List<string> Calls { get; } = [];

    public ValueTask OnDriftAsync(IReadOnlyList<Drift> drifts, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Drifts.AddRange(drifts);
            // A batch of several kinds would show as "batch contribution+asset 2".
            Calls.Add($"batch {string.Join('+', drifts.Select(d => d.Kind.Name()).Distinct())} {drifts.Count}");
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnKindCompletedAsync(RecordKind kind, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Calls.Add($"done {kind.Name()}");
        }

        return ValueTask.CompletedTask;
    }
}
