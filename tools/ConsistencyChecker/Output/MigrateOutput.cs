namespace ConsistencyChecker.Output;

/// <summary>The document <c>migrate --format json</c> writes.</summary>
internal sealed record MigrateOutput(int SchemaVersion, string Command, string Target, IReadOnlyList<int> Applied, int Version, int IndexesBuilt);
