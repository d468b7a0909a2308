namespace Storage.SampleHost;

/// <summary>Dependency edges: <c>/projects/{ecosystem}/{name}/dependencies</c> and <c>/dependents</c>.</summary>
internal static class DependencyEndpoints
{
    /// <summary>Maps the dependency routes.</summary>
    public static IEndpointRouteBuilder MapDependencyEndpoints(this IEndpointRouteBuilder app)
    {
        var project = app.MapGroup("/projects/{ecosystem}/{name}");
        project.MapGet("/dependencies", DependenciesAsync);
        project.MapGet("/dependents", DependentsAsync);
        project.MapPut("/dependencies/{depEcosystem}/{depName}", AddAsync);
        project.MapDelete("/dependencies/{depEcosystem}/{depName}", RemoveAsync);
        return app;
    }

    private static async Task<IResult> DependenciesAsync(string ecosystem, string name, IGraphStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.GetDependenciesAsync(RouteValues.Key(ecosystem, name), cancellationToken));

    private static async Task<IResult> DependentsAsync(string ecosystem, string name, IGraphStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.GetDependentsAsync(RouteValues.Key(ecosystem, name), cancellationToken));

    private static async Task<IResult> AddAsync(
        string ecosystem, string name, string depEcosystem, string depName, IGraphStore store, CancellationToken cancellationToken)
    {
        var added = await store.AddDependencyAsync(RouteValues.Key(ecosystem, name), RouteValues.Key(depEcosystem, depName), cancellationToken);
        return TypedResults.Ok(new { added });
    }

    private static async Task<IResult> RemoveAsync(
        string ecosystem, string name, string depEcosystem, string depName, IGraphStore store, CancellationToken cancellationToken)
    {
        var removed = await store.RemoveDependencyAsync(RouteValues.Key(ecosystem, name), RouteValues.Key(depEcosystem, depName), cancellationToken);
        return TypedResults.Ok(new { removed });
    }
}
