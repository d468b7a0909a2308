using ConsistencyChecker.Stores;

namespace ConsistencyChecker.Commands;

/// <summary>What a <c>check</c> or <c>repair</c> was asked to do.</summary>
internal sealed record CompareRequest(
    StoreArgument Source,
    StoreArgument Target,
    OutputFormat Format,
    int? RecheckSeconds,
    bool Repair,
    bool DeleteExtras,
    bool DryRun,
    int BatchSize,
    int Samples,
    bool BulkLoad = true)
{
    /// <summary>The options written on the command line (not left to their defaults), by name.</summary>
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
