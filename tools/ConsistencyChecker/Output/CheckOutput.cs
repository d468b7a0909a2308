namespace ConsistencyChecker.Output;

// The JSON schema of check and repair (schema_version 1), documented in docs/checker.md. Names are snake_case.
// Stable: fields are only ever added; a change of meaning gets a new schema_version.

/// <summary>The document <c>check --format json</c> and <c>repair --format json</c> write.</summary>
internal sealed record CheckOutput(
    int SchemaVersion,
    string Command,
    SideOutput Source,
    SideOutput Target,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    double DurationSeconds,
    DateTimeOffset? ChangedAfter,
    bool Consistent,
    int ExitCode,
    CountsOutput Totals,
    IReadOnlyList<KindOutput> Kinds,
    RecheckOutput? Recheck,
    RepairOutput? Repair);

/// <summary>One side.</summary>
internal sealed record SideOutput(string Type, string Description, DateTimeOffset? TakenAt);

/// <summary>Counts over all kinds.</summary>
internal sealed record CountsOutput(
    long Compared, long Equal, long MissingInTarget, long ExtraInTarget, long Different, long ChangedSinceSnapshot, long Differences);

/// <summary>One kind.</summary>
internal sealed record KindOutput(
    string Kind,
    long SourceRecords,
    long TargetRecords,
    long Compared,
    long Equal,
    long MissingInTarget,
    long ExtraInTarget,
    long Different,
    long ChangedSinceSnapshot,
    long NotRechecked,
    IReadOnlyDictionary<string, long> DifferentFields,
    SamplesOutput Samples);

/// <summary>The first keys of each category; a key is an array of strings (see docs/checker.md).</summary>
internal sealed record SamplesOutput(
    IReadOnlyList<IReadOnlyList<string>> MissingInTarget,
    IReadOnlyList<IReadOnlyList<string>> ExtraInTarget,
    IReadOnlyList<DifferentOutput> Different,
    IReadOnlyList<IReadOnlyList<string>> ChangedSinceSnapshot);

/// <summary>A different record: its key and differing fields.</summary>
internal sealed record DifferentOutput(IReadOnlyList<string> Key, IReadOnlyList<string> Fields);

/// <summary>What the recheck did.</summary>
internal sealed record RecheckOutput(double AfterSeconds, long Rechecked, long Resolved, long Changed, long StillDifferent, long NotRechecked);

/// <summary>What the repair did (or would do, in a dry run).</summary>
internal sealed record RepairOutput(
    bool DryRun, bool DeleteExtras, bool Complete, long Written, long Deleted, long Failed, long Unrepaired, IReadOnlyList<KindRepairOutput> Kinds);

/// <summary>What the repair did for one kind.</summary>
internal sealed record KindRepairOutput(
    string Kind,
    long Written,
    long Deleted,
    long ExtrasKept,
    long ExtrasNotDeletable,
    long DerivedOnly,
    long DerivedUnexplained,
    long Failed,
    string? FirstFailure,
    bool BulkLoaded,
    IReadOnlyList<IReadOnlyList<string>> WrittenSample,
    IReadOnlyList<IReadOnlyList<string>> DeletedSample,
    IReadOnlyList<IReadOnlyList<string>> FailedSample);
