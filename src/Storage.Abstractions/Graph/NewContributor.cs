namespace Storage.Abstractions;

/// <summary>What a caller sends to create a contributor. The store assigns the id and times.</summary>
/// <param name="Name">Trimmed, 1..255 characters.</param>
public sealed record NewContributor(string Name)
{
    /// <summary>Optional; trimmed and lower-cased; unique among contributors; at most 254 characters.</summary>
    public string? Email { get; init; }

    /// <summary>Optional GitHub user name, trimmed, at most 100 characters.</summary>
    public string? GithubUsername { get; init; }

    /// <summary>Optional wallet address, trimmed, at most 128 characters.</summary>
    public string? WalletAddress { get; init; }

    /// <summary>A JSON object; <see cref="JsonMetadata.Empty"/> when null.</summary>
    public JsonMetadata? Metadata { get; init; }
}
