namespace Storage.Abstractions;

/// <summary>
/// A stored asset. <see cref="TotalCost"/> is derived: the exact sum of its contributions' cost amounts,
/// with scale 2. Callers never set it; a value passed to an import is ignored and recomputed.
/// </summary>
public sealed record Asset(
    Guid Id,
    string Name,
    string? Description,
    AssetType AssetType,
    decimal TotalCost,
    JsonMetadata Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
