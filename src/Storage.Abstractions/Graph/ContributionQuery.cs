namespace Storage.Abstractions;

/// <summary>Filters and pages contributions, newest first (created time descending, then id descending).</summary>
public sealed record ContributionQuery
{
    /// <summary>Only contributions to this asset, when set.</summary>
    public Guid? AssetId { get; init; }

    /// <summary>Only contributions by this contributor, when set.</summary>
    public Guid? ContributorId { get; init; }

    /// <summary>1..100; <value>50</value> by default.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>At least 0; <value>0</value> by default.</summary>
    public int Offset { get; init; }
}
