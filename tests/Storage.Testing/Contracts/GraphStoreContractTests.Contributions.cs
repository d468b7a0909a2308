namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    private static readonly Guid MissingId = Guid.Parse("0f000000-0000-4000-8000-0000000000ff");

    private async Task<(Contributor Contributor, Asset Asset)> LedgerAsync()
        => (await CreateContributorAsync(), await CreateAssetAsync());

    [Fact]
    public virtual async Task CreateContributionAsync_stores_the_contribution_with_scale_2_amounts()
    {
        var (contributor, asset) = await LedgerAsync();
        Time.Advance(Step);
        var metadata = JsonMetadata.Parse("""{"commit":"abc123"}""");

        var contribution = await Store.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 1.5m, 1m) { Metadata = metadata });

        var expected = new Contribution(ExpectedIds(3)[2], contributor.Id, asset.Id, 1.5m, 1m, metadata, Now);
        Assert.Equal(expected, contribution);
        Assert.Equal(("1.50", "1.00"), (Text(contribution.CostAmount), Text(contribution.CoherenceScore)));
        var stored = await Store.GetContributionAsync(contribution.Id);
        Assert.Equal(expected, stored);
        Assert.Equal(("1.50", "1.00"), (Text(stored!.CostAmount), Text(stored.CoherenceScore)));
        Assert.Equal("1.50", Text((await Store.GetAssetAsync(asset.Id))!.TotalCost));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_bounds_of_cost_and_coherence_are_accepted()
    {
        var (contributor, asset) = await LedgerAsync();

        var zero = await ContributeAsync(contributor.Id, asset.Id, 0m, 0m);
        var max = await ContributeAsync(contributor.Id, asset.Id, 999_999_999_999.99m, 1.00m);
        var twoDecimals = await ContributeAsync(contributor.Id, asset.Id, 12.34m, 0.55m);

        Assert.Equal(("0.00", "0.00"), (Text(zero.CostAmount), Text(zero.CoherenceScore)));
        Assert.Equal(("999999999999.99", "1.00"), (Text(max.CostAmount), Text(max.CoherenceScore)));
        Assert.Equal(("12.34", "0.55"), (Text(twoDecimals.CostAmount), Text(twoDecimals.CoherenceScore)));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_trailing_zeros_beyond_two_decimals_are_not_over_precise()
    {
        var (contributor, asset) = await LedgerAsync();

        var contribution = await ContributeAsync(contributor.Id, asset.Id, 1.5000m, 0.500m);

        Assert.Equal(("1.50", "0.50"), (Text(contribution.CostAmount), Text(contribution.CoherenceScore)));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_invalid_cost_amount_is_rejected_not_rounded()
    {
        var (contributor, asset) = await LedgerAsync();

        foreach (var cost in new[] { 1.005m, 0.001m, -0.01m, -1m, 1_000_000_000_000m, 999_999_999_999.991m, decimal.MaxValue })
        {
            await AssertInvalidAsync("cost_amount", () => ContributeAsync(contributor.Id, asset.Id, cost));
        }

        Assert.Empty(await Store.ListContributionsAsync(new ContributionQuery()));
        Assert.Equal("0.00", Text((await Store.GetAssetAsync(asset.Id))!.TotalCost));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_invalid_coherence_score_is_rejected_not_rounded()
    {
        var (contributor, asset) = await LedgerAsync();

        foreach (var score in new[] { 1.01m, 0.555m, -0.01m, 2m, 0.001m })
        {
            await AssertInvalidAsync("coherence_score", () => ContributeAsync(contributor.Id, asset.Id, 1m, score));
        }

        Assert.Empty(await Store.ListContributionsAsync(new ContributionQuery()));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_cost_is_validated_before_coherence()
        => await AssertInvalidAsync("cost_amount", () => ContributeAsync(MissingId, MissingId, -1m, 5m));

    [Fact]
    public virtual async Task CreateContributionAsync_empty_ids_are_validation_errors_before_existence()
    {
        var (contributor, asset) = await LedgerAsync();

        await AssertInvalidAsync("contributor_id", () => ContributeAsync(Guid.Empty, asset.Id, 1m));
        await AssertInvalidAsync("asset_id", () => ContributeAsync(contributor.Id, Guid.Empty, 1m));
        await AssertInvalidAsync("contributor_id", () => ContributeAsync(Guid.Empty, Guid.Empty, 1m));
        await AssertInvalidAsync("asset_id", () => ContributeAsync(MissingId, Guid.Empty, 1m));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_missing_contributor_throws_not_found()
    {
        var asset = await CreateAssetAsync();

        await AssertNotFoundAsync("contributor", MissingId.ToString("D"), () => ContributeAsync(MissingId, asset.Id, 1m));
        Assert.Equal("0.00", Text((await Store.GetAssetAsync(asset.Id))!.TotalCost));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_missing_asset_throws_not_found()
    {
        var contributor = await CreateContributorAsync();

        await AssertNotFoundAsync("asset", MissingId.ToString("D"), () => ContributeAsync(contributor.Id, MissingId, 1m));
        Assert.Empty(await Store.ListContributionsAsync(new ContributionQuery()));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_missing_contributor_and_asset_reports_the_contributor_first()
    {
        var otherMissing = Guid.Parse("0e000000-0000-4000-8000-0000000000ee");

        await AssertNotFoundAsync("contributor", MissingId.ToString("D"), () => ContributeAsync(MissingId, otherMissing, 1m));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_invalid_amount_is_reported_before_missing_references()
        => await AssertInvalidAsync("coherence_score", () => ContributeAsync(MissingId, MissingId, 1m, 0.555m));

    [Fact]
    public virtual async Task GetContributionAsync_missing_id_returns_null()
    {
        var (contributor, asset) = await LedgerAsync();
        await ContributeAsync(contributor.Id, asset.Id, 1m);

        Assert.Null(await Store.GetContributionAsync(MissingId));
        Assert.Null(await Store.GetContributionAsync(asset.Id));
    }

    [Fact]
    public virtual async Task ListContributionsAsync_filters_by_asset_contributor_or_both()
    {
        var ada = await CreateContributorAsync("Ada");
        var bob = await CreateContributorAsync("Bob");
        var code = await CreateAssetAsync("code");
        var data = await CreateAssetAsync("data");
        var c1 = await ContributeAsync(ada.Id, code.Id, 1m);
        Time.Advance(Step);
        var c2 = await ContributeAsync(bob.Id, code.Id, 2m);
        Time.Advance(Step);
        var c3 = await ContributeAsync(ada.Id, data.Id, 3m);
        Time.Advance(Step);
        var c4 = await ContributeAsync(ada.Id, code.Id, 4m);

        Assert.Equal([c4, c3, c2, c1], await Store.ListContributionsAsync(new ContributionQuery()));
        Assert.Equal([c4, c2, c1], await Store.ListContributionsAsync(new ContributionQuery { AssetId = code.Id }));
        Assert.Equal([c4, c3, c1], await Store.ListContributionsAsync(new ContributionQuery { ContributorId = ada.Id }));
        Assert.Equal([c4, c1], await Store.ListContributionsAsync(new ContributionQuery { AssetId = code.Id, ContributorId = ada.Id }));
        Assert.Empty(await Store.ListContributionsAsync(new ContributionQuery { AssetId = data.Id, ContributorId = bob.Id }));
        Assert.Empty(await Store.ListContributionsAsync(new ContributionQuery { AssetId = MissingId }));
        Assert.Empty(await Store.ListContributionsAsync(new ContributionQuery { ContributorId = MissingId }));
    }

    [Fact]
    public virtual async Task ListContributionsAsync_equal_created_times_order_by_id_descending()
    {
        var (contributor, asset) = await LedgerAsync();
        var created = new List<Contribution>();
        for (var i = 1; i <= 8; i++)
        {
            created.Add(await ContributeAsync(contributor.Id, asset.Id, i));
        }

        var expected = created.OrderByDescending(c => c.Id, StorageOrdering.Uuid).ToArray();
        Assert.Equal(expected, await Store.ListContributionsAsync(new ContributionQuery()));
        Assert.Equal(expected, await Store.ListContributionsAsync(new ContributionQuery { AssetId = asset.Id }));
        Assert.Equal(expected, await Store.ListContributionsAsync(new ContributionQuery { ContributorId = contributor.Id }));
    }

    [Fact]
    public virtual async Task ListContributionsAsync_limit_and_offset_page_after_filtering()
    {
        var (contributor, asset) = await LedgerAsync();
        var other = await CreateAssetAsync("other");
        var mine = new List<Contribution>();
        for (var i = 0; i < 6; i++)
        {
            mine.Add(await ContributeAsync(contributor.Id, asset.Id, i));
            await ContributeAsync(contributor.Id, other.Id, i);
            Time.Advance(Step);
        }

        mine.Reverse();
        var query = new ContributionQuery { AssetId = asset.Id, Limit = 4 };
        Assert.Equal(mine.Take(4), await Store.ListContributionsAsync(query));
        Assert.Equal(mine.Skip(4), await Store.ListContributionsAsync(query with { Offset = 4 }));
        Assert.Empty(await Store.ListContributionsAsync(query with { Offset = 6 }));
        Assert.Equal(mine.Skip(2).Take(1), await Store.ListContributionsAsync(query with { Offset = 2, Limit = 1 }));
    }

    [Fact]
    public virtual async Task ListContributionsAsync_limit_outside_1_to_100_or_negative_offset_is_invalid()
    {
        var (contributor, asset) = await LedgerAsync();
        for (var i = 0; i < 101; i++)
        {
            await ContributeAsync(contributor.Id, asset.Id, 1m);
        }

        await AssertInvalidAsync("limit", () => Store.ListContributionsAsync(new ContributionQuery { Limit = 0 }));
        await AssertInvalidAsync("limit", () => Store.ListContributionsAsync(new ContributionQuery { Limit = 101 }));
        await AssertInvalidAsync("offset", () => Store.ListContributionsAsync(new ContributionQuery { Offset = -1 }));
        Assert.Equal(50, (await Store.ListContributionsAsync(new ContributionQuery())).Count);
        Assert.Equal(100, (await Store.ListContributionsAsync(new ContributionQuery { Limit = 100 })).Count);
        Assert.Single(await Store.ListContributionsAsync(new ContributionQuery { Limit = 1 }));
        Assert.Equal("101.00", Text((await Store.GetAssetAsync(asset.Id))!.TotalCost));
    }
}
