namespace Storage.Testing;

public abstract partial class GraphStoreContractTests
{
    [Fact]
    public virtual async Task CreateAssetAsync_starts_with_total_cost_zero_with_scale_2()
    {
        var metadata = JsonMetadata.Parse("""{"license":"MIT"}""");

        var asset = await Store.CreateAssetAsync(new NewAsset("  Model weights ", AssetType.Model)
        {
            Description = "  kept as given\n",
            Metadata = metadata,
        });

        var expected = new Asset(ExpectedIds(1)[0], "Model weights", "  kept as given\n", AssetType.Model, 0m, metadata, Now, Now);
        Assert.Equal(expected, asset);
        Assert.Equal("0.00", Text(asset.TotalCost));
        var stored = await Store.GetAssetAsync(asset.Id);
        Assert.Equal(expected, stored);
        Assert.Equal("0.00", Text(stored!.TotalCost));
    }

    [Fact]
    public virtual async Task CreateAssetAsync_every_asset_type_round_trips()
    {
        foreach (var type in Enum.GetValues<AssetType>())
        {
            var asset = await CreateAssetAsync($"asset-{type}", type);
            Assert.Equal(type, (await Store.GetAssetAsync(asset.Id))!.AssetType);
        }
    }

    [Fact]
    public virtual async Task CreateAssetAsync_undefined_asset_type_is_invalid()
    {
        await AssertInvalidAsync("asset_type", () => CreateAssetAsync("x", (AssetType)42));

        Assert.Empty(await Store.ListAssetsAsync());
    }

    [Fact]
    public virtual async Task CreateAssetAsync_name_and_description_rules_are_enforced()
    {
        Assert.Equal(255, (await CreateAssetAsync(new string('n', 255))).Name.Length);
        var longDescription = new string('d', StorageLimits.Description);
        Assert.Equal(longDescription, (await Store.CreateAssetAsync(new NewAsset("a", AssetType.Data) { Description = longDescription })).Description);
        var emptyDescription = await Store.CreateAssetAsync(new NewAsset("b", AssetType.Data) { Description = "" });
        Assert.Equal("", emptyDescription.Description);

        await AssertInvalidAsync("name", () => CreateAssetAsync(new string('n', 256)));
        await AssertInvalidAsync("name", () => CreateAssetAsync("   "));
        await AssertInvalidAsync("name", () => CreateAssetAsync("bad\0name"));
        await AssertInvalidAsync("description", () => Store.CreateAssetAsync(new NewAsset("a", AssetType.Code) { Description = longDescription + "d" }));
        await AssertInvalidAsync("description", () => Store.CreateAssetAsync(new NewAsset("a", AssetType.Code) { Description = "lone \uD800 surrogate" }));
        Assert.Equal(3, (await Store.ListAssetsAsync()).Count);
    }

    [Fact]
    public virtual async Task GetAssetAsync_missing_id_returns_null()
    {
        await CreateAssetAsync();

        Assert.Null(await Store.GetAssetAsync(Guid.Parse("00000000-0000-4000-8000-000000000099")));
    }

    [Fact]
    public virtual async Task Asset_total_is_the_exact_sum_of_its_contributions()
    {
        var contributor = await CreateContributorAsync();
        var asset = await CreateAssetAsync();

        for (var i = 0; i < 3; i++)
        {
            await ContributeAsync(contributor.Id, asset.Id, 0.10m);
        }

        var total = (await Store.GetAssetAsync(asset.Id))!.TotalCost;
        Assert.Equal(0.30m, total);
        Assert.Equal("0.30", Text(total));
    }

    [Fact]
    public virtual async Task Asset_total_stays_exact_for_many_small_and_very_large_amounts()
    {
        var contributor = await CreateContributorAsync();
        var small = await CreateAssetAsync("small");
        var large = await CreateAssetAsync("large");

        for (var i = 0; i < 100; i++)
        {
            await ContributeAsync(contributor.Id, small.Id, 0.01m);
        }

        for (var i = 0; i < 3; i++)
        {
            await ContributeAsync(contributor.Id, large.Id, StorageLimits.MaxCostAmount);
        }

        await ContributeAsync(contributor.Id, large.Id, 0.03m);

        Assert.Equal("1.00", Text((await Store.GetAssetAsync(small.Id))!.TotalCost));
        Assert.Equal("3000000000000.00", Text((await Store.GetAssetAsync(large.Id))!.TotalCost));
    }

    [Fact]
    public virtual async Task Asset_total_counts_only_its_own_contributions()
    {
        var contributor = await CreateContributorAsync();
        var first = await CreateAssetAsync("first");
        var second = await CreateAssetAsync("second");

        await ContributeAsync(contributor.Id, first.Id, 1.25m);
        await ContributeAsync(contributor.Id, second.Id, 2m);
        await ContributeAsync(contributor.Id, first.Id, 0m);

        Assert.Equal("1.25", Text((await Store.GetAssetAsync(first.Id))!.TotalCost));
        Assert.Equal("2.00", Text((await Store.GetAssetAsync(second.Id))!.TotalCost));
    }

    [Fact]
    public virtual async Task CreateContributionAsync_does_not_change_the_asset_updated_time()
    {
        var contributor = await CreateContributorAsync();
        var asset = await CreateAssetAsync();
        Time.Advance(TimeSpan.FromHours(1));

        await ContributeAsync(contributor.Id, asset.Id, 5m);

        var stored = await Store.GetAssetAsync(asset.Id);
        Assert.Equal(asset with { TotalCost = 5m }, stored);
        Assert.Equal(asset.UpdatedAt, stored!.UpdatedAt);
    }

    [Fact]
    public virtual async Task ListAssetsAsync_returns_newest_first_with_current_totals()
    {
        var contributor = await CreateContributorAsync();
        var first = await CreateAssetAsync("first");
        Time.Advance(Step);
        var second = await CreateAssetAsync("second");
        await ContributeAsync(contributor.Id, first.Id, 7.5m);

        var assets = await Store.ListAssetsAsync();

        Assert.Equal([second, first with { TotalCost = 7.5m }], assets);
        Assert.Equal("7.50", Text(assets[1].TotalCost));
    }

    [Fact]
    public virtual async Task ListAssetsAsync_equal_created_times_order_by_id_descending()
    {
        var created = new List<Asset>();
        for (var i = 0; i < 8; i++)
        {
            created.Add(await CreateAssetAsync($"a{i}"));
        }

        Assert.Equal(created.OrderByDescending(a => a.Id, StorageOrdering.Uuid), await Store.ListAssetsAsync());
    }

    [Fact]
    public virtual async Task ListAssetsAsync_limit_and_offset_page_and_are_validated()
    {
        var created = new List<Asset>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateAssetAsync($"a{i}"));
            Time.Advance(Step);
        }

        created.Reverse();
        Assert.Equal(created.Skip(1).Take(3), await Store.ListAssetsAsync(3, 1));
        Assert.Empty(await Store.ListAssetsAsync(10, 5));
        Assert.Single(await Store.ListAssetsAsync(1));
        Assert.Equal(5, (await Store.ListAssetsAsync(100)).Count);
        await AssertInvalidAsync("limit", () => Store.ListAssetsAsync(0));
        await AssertInvalidAsync("limit", () => Store.ListAssetsAsync(101));
        await AssertInvalidAsync("offset", () => Store.ListAssetsAsync(10, -1));
    }
}
