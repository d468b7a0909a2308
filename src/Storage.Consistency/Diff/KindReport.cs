namespace Storage.Consistency;

/// <summary>
/// What a check found for one kind. The counts are exact: <see cref="Compared"/> = <see cref="Equal"/> +
/// <see cref="MissingInTarget"/> + <see cref="ExtraInTarget"/> + <see cref="Different"/> + <see cref="ChangedSinceSnapshot"/>.
/// The samples hold the first keys (in key order) of each category, at most <see cref="ConsistencyCheckOptions.SampleSize"/> each.
/// </summary>
public sealed record KindReport
{
    /// <summary>The kind.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>Records read from the source.</summary>
    public long SourceRecords { get; init; }

    /// <summary>Records read from the target.</summary>
    public long TargetRecords { get; init; }

    /// <summary>Keys seen on either side.</summary>
    public long Compared { get; init; }

    /// <summary>Keys whose records are equal on both sides.</summary>
    public long Equal { get; init; }

    /// <summary>Keys only the source holds.</summary>
    public long MissingInTarget { get; init; }

    /// <summary>Keys only the target holds.</summary>
    public long ExtraInTarget { get; init; }

    /// <summary>Keys both hold with different fields.</summary>
    public long Different { get; init; }

    /// <summary>Keys that differ only because a live side changed them after <see cref="ConsistencyReport.ChangedAfter"/>
    /// (or while they were rechecked): not differences.</summary>
    public long ChangedSinceSnapshot { get; init; }

    /// <summary>Differences past <see cref="ConsistencyCheckOptions.RecheckLimit"/> that the recheck did not read again
    /// (counted in the categories above, not handed to the sink).</summary>
    public long NotRechecked { get; init; }

    /// <summary>Missing, extra and different keys.</summary>
    public long Differences => MissingInTarget + ExtraInTarget + Different;

    /// <summary>For different records: how many differ in each field (stored field names, in field order).</summary>
    public IReadOnlyDictionary<string, long> DifferentFields { get; init; } = new Dictionary<string, long>();

    /// <summary>The first keys missing in the target.</summary>
    public IReadOnlyList<RecordKey> MissingSample { get; init; } = [];

    /// <summary>The first keys extra in the target.</summary>
    public IReadOnlyList<RecordKey> ExtraSample { get; init; } = [];

    /// <summary>The first different keys, with their differing fields.</summary>
    public IReadOnlyList<DifferenceSample> DifferentSample { get; init; } = [];

    /// <summary>The first keys changed since the snapshot.</summary>
    public IReadOnlyList<RecordKey> ChangedSample { get; init; } = [];
}
