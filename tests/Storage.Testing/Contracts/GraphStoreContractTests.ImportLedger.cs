namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    private static readonly Guid ImportedContributorId = Guid.Parse("11111111-1111-4111-8111-111111111111");
    private static readonly Guid ImportedAssetId = Guid.Parse("22222222-2222-4222-8222-222222222222");

    private static Contributor ImportedContributor(Guid? id = null, string? email = "ada@example.com")
        => new(id ?? ImportedContributorId, "Ada", email, "ada", "0xabc", JsonMetadata.Parse("""{"a":1}"""), Past, Past.AddHours(1));

    private static Asset ImportedAsset(Guid? id = null, decimal totalCost = 0m)
        => new(id ?? ImportedAssetId, "Weights", "desc", AssetType.Model, totalCost, JsonMetadata.Empty, Past, Past.AddHours(2));

    private static Contribution ImportedContribution(string id, decimal cost, Guid? contributorId = null, Guid? assetId = null)
        => new(Guid.Parse(id), contributorId ?? ImportedContributorId, assetId ?? ImportedAssetId, cost, 0.75m, JsonMetadata.Empty, Past.AddMinutes(5));

    [Fact]
    public virtual async Task ImportContributorsAsync_writes_records_exactly_as_given()
    {
        var contributor = ImportedContributor();

        Assert.Equal(1, await Store.ImportContributorsAsync([contributor]));

        Assert.Equal(contributor, await Store.GetContributorAsync(contributor.Id));
        Assert.Equal(contributor, await Store.FindContributorByEmailAsync("ADA@example.com"));
    }

    [Fact]
    public virtual async Task ImportContributorsAsync_normalizes_the_email_and_fields()
    {
        await Store.ImportContributorsAsync([ImportedContributor(email: " ADA@Example.COM ") with { Name = " Ada ", GithubUsername = " " }]);

        var stored = await Store.GetContributorAsync(ImportedContributorId);
        Assert.Equal(ImportedContributor() with { GithubUsername = null }, stored);
    }

    [Fact]
    public virtual async Task ImportContributorsAsync_email_of_another_id_is_a_conflict_and_writes_nothing()
    {
        var existing = await CreateContributorAsync("Bob", "bob@example.com");
        var other = Guid.Parse("33333333-3333-4333-8333-333333333333");

        await Assert.ThrowsAsync<StorageConflictException>(
            () => Store.ImportContributorsAsync([ImportedContributor(other, "carol@example.com"), ImportedContributor(email: "BOB@example.com")]));
        await Assert.ThrowsAsync<StorageConflictException>(
            () => Store.ImportContributorsAsync([ImportedContributor(email: "dan@example.com"), ImportedContributor(other, "dan@example.com")]));

        Assert.Equal([existing], await ToListAsync(Store.StreamContributorsAsync()));
    }

    [Fact]
    public virtual async Task ImportContributorsAsync_same_id_may_change_its_email()
    {
        await Store.ImportContributorsAsync([ImportedContributor()]);

        await Store.ImportContributorsAsync([ImportedContributor(email: "ada@new.example")]);

        Assert.Null(await Store.FindContributorByEmailAsync("ada@example.com"));
        Assert.Equal(ImportedContributorId, (await Store.FindContributorByEmailAsync("ada@new.example"))!.Id);
        var bob = await CreateContributorAsync("Bob", "ada@example.com");
        Assert.Equal(bob, await Store.FindContributorByEmailAsync("ada@example.com"));
    }

    [Fact]
    public virtual async Task ImportContributorsAsync_invalid_records_are_validation_errors()
    {
        await AssertInvalidAsync("id", () => Store.ImportContributorsAsync([ImportedContributor(Guid.Empty)]));
        await AssertInvalidAsync("batch", () => Store.ImportContributorsAsync([ImportedContributor(), ImportedContributor(email: null)]));
        await AssertInvalidAsync("email", () => Store.ImportContributorsAsync([ImportedContributor(email: "nope")]));
        await AssertInvalidAsync("created_at", () => Store.ImportContributorsAsync([ImportedContributor() with { CreatedAt = Past.AddTicks(3) }]));

        Assert.Empty(await ToListAsync(Store.StreamContributorsAsync()));
    }

    [Fact]
    public virtual async Task ImportAssetsAsync_writes_records_exactly_as_given_except_the_total()
    {
        var asset = ImportedAsset(totalCost: 99m);

        Assert.Equal(1, await Store.ImportAssetsAsync([asset]));

        var stored = await Store.GetAssetAsync(asset.Id);
        Assert.Equal(asset with { TotalCost = 0m }, stored);
        Assert.Equal("0.00", Text(stored!.TotalCost));
    }

    [Fact]
    public virtual async Task ImportAssetsAsync_existing_asset_keeps_the_total_of_its_contributions()
    {
        var contributor = await CreateContributorAsync();
        var asset = await CreateAssetAsync();
        await ContributeAsync(contributor.Id, asset.Id, 4.25m);

        await Store.ImportAssetsAsync([ImportedAsset(asset.Id, totalCost: 1000m) with { Name = "renamed" }]);

        var stored = await Store.GetAssetAsync(asset.Id);
        Assert.Equal("renamed", stored!.Name);
        Assert.Equal("4.25", Text(stored.TotalCost));
    }

    [Fact]
    public virtual async Task ImportAssetsAsync_invalid_records_are_validation_errors()
    {
        await AssertInvalidAsync("asset_type", () => Store.ImportAssetsAsync([ImportedAsset() with { AssetType = (AssetType)9 }]));
        await AssertInvalidAsync("batch", () => Store.ImportAssetsAsync([ImportedAsset(), ImportedAsset()]));
        await AssertInvalidAsync("id", () => Store.ImportAssetsAsync([ImportedAsset(Guid.Empty)]));
        await AssertInvalidAsync("updated_at", () => Store.ImportAssetsAsync([ImportedAsset() with { UpdatedAt = Past.AddDays(-1) }]));

        Assert.Empty(await ToListAsync(Store.StreamAssetsAsync()));
    }

    [Fact]
    public virtual async Task ImportContributionsAsync_writes_records_exactly_as_given_and_totals_follow()
    {
        await Store.ImportContributorsAsync([ImportedContributor()]);
        await Store.ImportAssetsAsync([ImportedAsset()]);
        var contributions = new[]
        {
            ImportedContribution("aaaaaaaa-0000-4000-8000-000000000001", 0.10m),
            ImportedContribution("aaaaaaaa-0000-4000-8000-000000000002", 0.20m),
        };

        Assert.Equal(2, await Store.ImportContributionsAsync(contributions));

        Assert.Equal(contributions[0], await Store.GetContributionAsync(contributions[0].Id));
        Assert.Equal(contributions, await ToListAsync(Store.StreamContributionsAsync()));
        var asset = await Store.GetAssetAsync(ImportedAssetId);
        Assert.Equal("0.30", Text(asset!.TotalCost));
        Assert.Equal(Past.AddHours(2), asset.UpdatedAt);
    }

    [Fact]
    public virtual async Task ImportContributionsAsync_same_records_twice_changes_nothing()
    {
        await Store.ImportContributorsAsync([ImportedContributor()]);
        await Store.ImportAssetsAsync([ImportedAsset()]);
        var contributions = new[] { ImportedContribution("aaaaaaaa-0000-4000-8000-000000000001", 1.50m) };
        await Store.ImportContributionsAsync(contributions);
        var before = await ReadContentsAsync();

        await Store.ImportContributorsAsync([ImportedContributor()]);
        await Store.ImportAssetsAsync([ImportedAsset()]);
        await Store.ImportContributionsAsync(contributions);

        await AssertContentsAsync(before);
        Assert.Equal("1.50", Text((await Store.GetAssetAsync(ImportedAssetId))!.TotalCost));
    }

    [Fact]
    public virtual async Task ImportContributionsAsync_changed_cost_moves_the_total_by_the_difference()
    {
        var contributor = await CreateContributorAsync();
        var asset = await CreateAssetAsync();
        await ContributeAsync(contributor.Id, asset.Id, 10m);
        var imported = ImportedContribution("aaaaaaaa-0000-4000-8000-000000000001", 2.50m, contributor.Id, asset.Id);
        await Store.ImportContributionsAsync([imported]);

        await Store.ImportContributionsAsync([imported with { CostAmount = 1.25m }]);

        Assert.Equal("11.25", Text((await Store.GetAssetAsync(asset.Id))!.TotalCost));
        Assert.Equal(1.25m, (await Store.GetContributionAsync(imported.Id))!.CostAmount);
    }

    [Fact]
    public virtual async Task ImportContributionsAsync_missing_references_are_not_found_contributor_first_and_write_nothing()
    {
        await Store.ImportContributorsAsync([ImportedContributor()]);
        await Store.ImportAssetsAsync([ImportedAsset()]);
        var good = ImportedContribution("aaaaaaaa-0000-4000-8000-000000000001", 1m);
        var noAsset = ImportedContribution("aaaaaaaa-0000-4000-8000-000000000002", 1m, assetId: MissingId);
        var neither = ImportedContribution("aaaaaaaa-0000-4000-8000-000000000003", 1m, MissingId, Guid.Parse("0e000000-0000-4000-8000-0000000000ee"));

        await AssertNotFoundAsync("asset", MissingId.ToString("D"), () => Store.ImportContributionsAsync([good, noAsset]));
        await AssertNotFoundAsync("contributor", MissingId.ToString("D"), () => Store.ImportContributionsAsync([good, neither]));

        Assert.Empty(await ToListAsync(Store.StreamContributionsAsync()));
        Assert.Equal("0.00", Text((await Store.GetAssetAsync(ImportedAssetId))!.TotalCost));
    }

    [Fact]
    public virtual async Task ImportContributionsAsync_invalid_records_are_validation_errors_before_reference_checks()
    {
        var missing = ImportedContribution("aaaaaaaa-0000-4000-8000-000000000001", 1m, MissingId, MissingId);

        await AssertInvalidAsync("cost_amount", () => Store.ImportContributionsAsync([missing, missing with { Id = ImportedAssetId, CostAmount = 1.005m }]));
        await AssertInvalidAsync("coherence_score", () => Store.ImportContributionsAsync([missing with { CoherenceScore = 1.01m }]));
        await AssertInvalidAsync("batch", () => Store.ImportContributionsAsync([missing, missing]));
        await AssertInvalidAsync("created_at", () => Store.ImportContributionsAsync([missing with { CreatedAt = Past.AddTicks(9) }]));
        await AssertInvalidAsync("id", () => Store.ImportContributionsAsync([missing with { Id = Guid.Empty }]));
    }

    [Fact]
    public virtual async Task ImportContributionsAsync_gives_the_same_total_as_creating_one_by_one()
    {
        var contributor = await CreateContributorAsync();
        var created = await CreateAssetAsync("created");
        var costs = new[] { 0.10m, 0.20m, 999_999_999_999.99m, 0.01m, 7m };
        foreach (var cost in costs)
        {
            await ContributeAsync(contributor.Id, created.Id, cost);
        }

        await Store.ImportAssetsAsync([ImportedAsset(totalCost: 12m)]);
        await Store.ImportContributionsAsync(costs
            .Select((cost, i) => ImportedContribution($"bbbbbbbb-0000-4000-8000-00000000000{i}", cost, contributor.Id))
            .ToArray());

        var expected = (await Store.GetAssetAsync(created.Id))!.TotalCost;
        var imported = (await Store.GetAssetAsync(ImportedAssetId))!.TotalCost;
        Assert.Equal("1000000000007.30", Text(expected));
        Assert.Equal(Text(expected), Text(imported));
    }
}
