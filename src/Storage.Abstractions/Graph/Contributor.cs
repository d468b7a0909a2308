namespace Storage.Abstractions;

/// <summary>A stored contributor.</summary>
public sealed record Contributor(
    Guid Id,
    string Name,
    string? Email,
    string? GithubUsername,
    string? WalletAddress,
    JsonMetadata Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
