namespace ConsistencyChecker.Output;

/// <summary>The document <c>export --format json</c> writes.</summary>
internal sealed record ExportOutput(int SchemaVersion, string Command, string Source, string Output, DateTimeOffset TakenAt, IReadOnlyDictionary<string, long> Records, long Total);
