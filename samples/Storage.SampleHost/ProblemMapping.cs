using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Storage.DualWrite;

namespace Storage.SampleHost;

/// <summary>
/// The one place where errors become RFC 7807 problem details: bad requests (malformed JSON, unparseable route or
/// query values, a missing body) 400, <see cref="StorageValidationException"/> 422 with its field,
/// <see cref="EntityNotFoundException"/> 404, <see cref="StorageConflictException"/> 409,
/// <see cref="KeyRepairPendingException"/> 503 with <c>Retry-After</c>, anything else 500 with no detail.
/// </summary>
internal sealed class ProblemMapping(ILogger<ProblemMapping> logger) : IExceptionHandler
{
    /// <summary>The seconds a client is told to wait after a 503 for a pending repair: <value>5</value>.</summary>
    public const int RetryAfterSeconds = 5;

    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The client went away; nobody reads an answer.
        }

        var request = httpContext.Request;
        switch (exception)
        {
            case KeyRepairPendingException pending:
                SampleHostLog.RepairPending(logger, request.Method, request.Path, pending.Key.ToString());
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                break;
            case BadHttpRequestException or StorageException:
                break;
            default:
                SampleHostLog.UnexpectedError(logger, exception, request.Method, request.Path);
                break;
        }

        await ToResult(exception).ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The 404 of an entity that is missing, whether a store threw it or a look-up returned null.</summary>
    public static IResult NotFound(EntityNotFoundException missing)
        => Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: missing.Message,
            extensions: new Dictionary<string, object?> { ["entity"] = missing.Entity, ["key"] = missing.Key });

    /// <summary>A 400 for a request the route cannot use, thrown so that <see cref="ProblemMapping"/> answers it.</summary>
    public static BadHttpRequestException BadRequest(string message) => new(message, StatusCodes.Status400BadRequest);

    private static IResult ToResult(Exception exception) => exception switch
    {
        BadHttpRequestException bad => Results.Problem(
            statusCode: bad.StatusCode, // 400, or 415 for a body that is not JSON; the title follows the status.
            detail: bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message),
        StorageValidationException invalid => Results.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Invalid input",
            detail: invalid.Message,
            extensions: new Dictionary<string, object?> { ["field"] = invalid.Field, ["reason"] = invalid.Reason }),
        EntityNotFoundException missing => NotFound(missing),
        StorageConflictException conflict => Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict",
            detail: conflict.Message),
        KeyRepairPendingException pending => Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Repair pending",
            detail: $"The latest state of {pending.Key} is being repaired; retry in {RetryAfterSeconds} seconds."),
        _ => Results.Problem(
            statusCode: StatusCodes.Status500InternalServerError,
            title: "Internal error",
            detail: "The request failed on the server; its log has the error under this trace id."),
    };
}
