namespace Storage.SampleHost;

/// <summary>Agent tasks: <c>/tasks</c>.</summary>
internal static class TaskEndpoints
{
    /// <summary>Maps the task routes.</summary>
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/tasks");
        tasks.MapPost("", CreateAsync);
        tasks.MapGet("", ListAsync);
        tasks.MapGet("/attention", AttentionAsync);
        tasks.MapGet("/counts", CountsAsync);
        tasks.MapGet("/{id}", GetAsync);
        tasks.MapPatch("/{id}", UpdateAsync);
        tasks.MapPost("/{id}/claim", ClaimAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(NewAgentTask task, IAgentTaskStore store, CancellationToken cancellationToken)
    {
        var created = await store.CreateTaskAsync(task, cancellationToken);
        return TypedResults.Created($"/tasks/{Uri.EscapeDataString(created.Id)}", created);
    }

    private static async Task<IResult> GetAsync(string id, IAgentTaskStore store, CancellationToken cancellationToken)
        => await store.GetTaskAsync(id, cancellationToken) is { } task
            ? TypedResults.Ok(task)
            : ProblemMapping.NotFound(StorageErrors.TaskNotFound(id));

    private static async Task<IResult> UpdateAsync(string id, AgentTaskUpdate update, IAgentTaskStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.UpdateTaskAsync(id, update, cancellationToken));

    private static async Task<IResult> ClaimAsync(string id, ClaimTaskRequest claim, IAgentTaskStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.ClaimTaskAsync(id, claim.WorkerId!, cancellationToken));

    private static async Task<IResult> ListAsync(
        string? status, string? taskType, int? limit, int? offset, IAgentTaskStore store, CancellationToken cancellationToken)
    {
        var query = new AgentTaskQuery
        {
            Status = RouteValues.Enum<AgentTaskStatus>(status, nameof(status)),
            TaskType = RouteValues.Enum<AgentTaskType>(taskType, nameof(taskType)),
            Limit = limit ?? RouteValues.DefaultLimit,
            Offset = offset ?? 0,
        };
        return TypedResults.Ok(await store.ListTasksAsync(query, cancellationToken));
    }

    private static async Task<IResult> AttentionAsync(int? limit, IAgentTaskStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.ListAttentionTasksAsync(limit ?? RouteValues.DefaultLimit, cancellationToken));

    private static async Task<IResult> CountsAsync(IAgentTaskStore store, CancellationToken cancellationToken)
        => TypedResults.Ok(await store.CountTasksByStatusAsync(cancellationToken));
}
