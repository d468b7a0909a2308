using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Storage.DualWrite;

namespace Storage.SampleHost.Tests;

/// <summary>The errors no store can be made to throw on demand here, mapped directly by the one handler the host registers.</summary>
public sealed class ProblemMappingTests
{
    [Fact]
    public async Task A_pending_key_repair_is_503_with_retry_after()
    {
        var error = new KeyRepairPendingException(EntityKey.Project(new ProjectKey("npm", "react")), BackendRole.Target, new TimeoutException("db"));

        var (context, problem) = await HandleAsync(error);

        Assert.Equal((int)HttpStatusCode.ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(ProblemMapping.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Contains("npm/react", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_error_is_500_without_its_message()
    {
        var (context, problem) = await HandleAsync(new InvalidOperationException("Host=db;Password=hunter2"));

        Assert.Equal(500, context.Response.StatusCode);
        Assert.DoesNotContain("hunter2", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", context.Response.ContentType);
    }

    private static async Task<(HttpContext Context, JsonElement Problem)> HandleAsync(Exception error)
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "PUT";
        context.Request.Path = "/projects/npm/react";
        using var body = new MemoryStream();
        context.Response.Body = body;

        var handled = await new ProblemMapping(NullLogger<ProblemMapping>.Instance).TryHandleAsync(context, error, CancellationToken.None);

        Assert.True(handled);
        body.Position = 0;
        using var document = await JsonDocument.ParseAsync(body);
        return (context, document.RootElement.Clone());
    }
}
