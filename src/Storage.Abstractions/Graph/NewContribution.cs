namespace Storage.Abstractions;

/// <summary>What a caller sends to record a contribution. The contributor and the asset must exist.</summary>
/// <param name="ContributorId">An existing contributor.</param>
/// <param name="AssetId">An existing asset.</param>
/// <param name="CostAmount">0..999,999,999,999.99 with at most 2 decimals; never rounded.</param>
/// <param name="CoherenceScore">0..1 with at most 2 decimals; never rounded.</param>
public sealed record NewContribution(Guid ContributorId, Guid AssetId, decimal CostAmount, decimal CoherenceScore)
{
    /// <summary>A JSON object; <see cref="JsonMetadata.Empty"/> when null.</summary>
    public JsonMetadata? Metadata { get; init; }
}
