namespace Storage.Abstractions;

/// <summary>What a caller sends to create an asset. Its total cost starts at zero and follows its contributions.</summary>
/// <param name="Name">Trimmed, 1..255 characters.</param>
/// <param name="AssetType">A defined <see cref="Abstractions.AssetType"/> value.</param>
public sealed record NewAsset(string Name, AssetType AssetType)
{
    /// <summary>Free text, at most 10,000 characters.</summary>
    public string? Description { get; init; }

    /// <summary>A JSON object; <see cref="JsonMetadata.Empty"/> when null.</summary>
    public JsonMetadata? Metadata { get; init; }
}
