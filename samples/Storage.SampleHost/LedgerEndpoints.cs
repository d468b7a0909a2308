namespace Storage.SampleHost;

/// <summary>Contributors, assets and contributions: <c>/contributors</c>, <c>/assets</c>, <c>/contributions</c>.</summary>
internal static class LedgerEndpoints
{
    /// <summary>Maps the ledger routes.</summary>
    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/contributors", CreateContributorAsync);
        app.MapGet("/contributors/{id}", GetContributorAsync);
        app.MapGet("/contributors", ListContributorsAsync);
        app.MapPost("/assets", CreateAssetAsync);
        app.MapGet("/assets/{id}", GetAssetAsync);
        app.MapGet("/assets", ListAssetsAsync);
        app.MapPost("/contributions", CreateContributionAsync);
        app.MapGet("/contributions/{id}", GetContributionAsync);
        app.MapGet("/contributions", ListContributionsAsync);
        return app;
    }

    private static async Task<IResult> CreateContributorAsync(NewContributor contributor, IGraphStore store, CancellationToken cancellationToken)
    {
        var created = await store.CreateContributorAsync(contributor, cancellationToken);
        return TypedResults.Created($"/contributors/{created.Id:D}", created);
    }

    private static async Task<IResult> GetContributorAsync(Guid id, IGraphStore store, CancellationToken cancellationToken)
        => await store.GetContributorAsync(id, cancellationToken) is { } contributor
            ? TypedResults.Ok(contributor)
            : ProblemMapping.NotFound(StorageErrors.ContributorNotFound(id));

    /// <summary>With <c>email</c>: the one contributor with that email, or 404. Without: a page, newest first.</summary>
    private static async Task<IResult> ListContributorsAsync(string? email, int? limit, int? offset, IGraphStore store, CancellationToken cancellationToken)
    {
        if (email is null)
        {
            return TypedResults.Ok(await store.ListContributorsAsync(limit ?? RouteValues.DefaultLimit, offset ?? 0, cancellationToken));
        }

        return await store.FindContributorByEmailAsync(email, cancellationToken) is { } contributor
            ? TypedResults.Ok(contributor)
            : ProblemMapping.NotFound(new EntityNotFoundException("contributor", email));
    }

    private static async Task<IResult> CreateAssetAsync(NewAsset asset, IGraphStore store, CancellationToken cancellationToken)
    {
        var created = await store.CreateAssetAsync(asset, cancellationToken);
        return TypedResults.Created($"/assets/{created.Id:D}", created);
    }

    private static async Task<IResult> GetAssetAsync(Guid id, IGraphStore store, CancellationToken cancellationToken)
        => await store.GetAssetAsync(id, cancellationToken) is { } asset
            ? TypedResults.Ok(asset)
            : ProblemMapping.NotFound(StorageErrors.AssetNotFound(id));

    private static async Task<IResult> ListAssetsAsync(int? limit, int? offset, IGraphStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.ListAssetsAsync(limit ?? RouteValues.DefaultLimit, offset ?? 0, cancellationToken));

    private static async Task<IResult> CreateContributionAsync(NewContribution contribution, IGraphStore store, CancellationToken cancellationToken)
    {
        var created = await store.CreateContributionAsync(contribution, cancellationToken);
        return TypedResults.Created($"/contributions/{created.Id:D}", created);
    }

    private static async Task<IResult> GetContributionAsync(Guid id, IGraphStore store, CancellationToken cancellationToken)
        => await store.GetContributionAsync(id, cancellationToken) is { } contribution
            ? TypedResults.Ok(contribution)
            : ProblemMapping.NotFound(new EntityNotFoundException("contribution", id.ToString("D")));

    private static async Task<IResult> ListContributionsAsync(
        Guid? assetId, Guid? contributorId, int? limit, int? offset, IGraphStore store, CancellationToken cancellationToken)
    {
        var query = new ContributionQuery { AssetId = assetId, ContributorId = contributorId, Limit = limit ?? RouteValues.DefaultLimit, Offset = offset ?? 0 };
        return TypedResults.Ok(await store.ListContributionsAsync(query, cancellationToken));
    }
}
