namespace Storage.Consistency;

/// <summary>How a record differs between the source and the target.</summary>
public enum DriftCategory
{
    /// <summary>The source holds the record, the target does not.</summary>
    MissingInTarget,

    /// <summary>The target holds the record, the source does not.</summary>
    ExtraInTarget,

    /// <summary>Both hold the record with different values in at least one field.</summary>
    Different,
}
