namespace Storage.SampleHost;

/// <summary>Projects: <c>/projects</c>.</summary>
internal static class ProjectEndpoints
{
    /// <summary>The page size of <c>GET /projects</c> when none is given: <value>50</value>.</summary>
    public const int DefaultListLimit = 50;

    /// <summary>Maps the project routes.</summary>
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/projects");
        projects.MapGet("", ListAsync);
        projects.MapGet("/count", CountAsync);
        projects.MapGet("/search", SearchAsync);
        projects.MapGet("/{ecosystem}/{name}", GetAsync);
        projects.MapPut("/{ecosystem}/{name}", UpsertAsync);
        projects.MapDelete("/{ecosystem}/{name}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string ecosystem, string name, IGraphStore store, CancellationToken cancellationToken)
    {
        var key = RouteValues.Key(ecosystem, name);
        var project = await store.GetProjectAsync(key, cancellationToken);
        return project is null ? ProblemMapping.NotFound(StorageErrors.ProjectNotFound(key)) : TypedResults.Ok(project);
    }

    private static async Task<IResult> UpsertAsync(string ecosystem, string name, ProjectUpsert project, IGraphStore store, CancellationToken cancellationToken)
    {
        var key = RouteValues.Key(ecosystem, name);
        RequireSame(project.Ecosystem, key.Ecosystem, "ecosystem");
        RequireSame(project.Name, key.Name, "name");
        return TypedResults.Ok(await store.UpsertProjectAsync(project with { Ecosystem = key.Ecosystem, Name = key.Name }, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(string ecosystem, string name, IGraphStore store, CancellationToken cancellationToken)
    {
        var key = RouteValues.Key(ecosystem, name);
        return await store.DeleteProjectAsync(key, cancellationToken)
            ? TypedResults.NoContent()
            : ProblemMapping.NotFound(StorageErrors.ProjectNotFound(key));
    }

    private static async Task<IResult> SearchAsync(string q, int? limit, IGraphStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.SearchProjectsAsync(limit is { } l ? new ProjectSearch(q, l) : new ProjectSearch(q), cancellationToken));

    private static async Task<IResult> ListAsync(string? afterEcosystem, string? afterName, int? limit, IGraphStore store, CancellationToken cancellationToken)
    {
        if ((afterEcosystem is null) != (afterName is null))
        {
            throw ProblemMapping.BadRequest("afterEcosystem and afterName go together: give both (the last key of the previous page) or neither.");
        }

        ProjectKey? after = afterEcosystem is null ? null : new ProjectKey(afterEcosystem, afterName!);
        return TypedResults.Ok(await store.ListProjectsAsync(after, limit ?? DefaultListLimit, cancellationToken));
    }

    private static async Task<IResult> CountAsync(IGraphStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(new { count = await store.CountProjectsAsync(cancellationToken) });

    /// <summary>A key part in the body may be left out; when given it must name the route's project.</summary>
    private static void RequireSame(string? fromBody, string fromRoute, string field)
    {
        if (!string.IsNullOrWhiteSpace(fromBody)
            && !string.Equals(StorageText.Fold(fromBody.Trim()), StorageText.Fold(fromRoute.Trim()), StringComparison.Ordinal))
        {
            throw ProblemMapping.BadRequest($"The body's {field} '{fromBody}' is not the route's '{fromRoute}'; leave it out or make it match.");
        }
    }
}
