namespace Storage.Abstractions;

/// <summary>A stored contribution. Amounts carry scale 2.</summary>
public sealed record Contribution(
    Guid Id,
    Guid ContributorId,
    Guid AssetId,
    decimal CostAmount,
    decimal CoherenceScore,
    JsonMetadata Metadata,
    DateTimeOffset CreatedAt);
