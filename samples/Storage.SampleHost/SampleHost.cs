using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Storage.SampleHost;

/// <summary>
/// Builds the sample host: the stores registered with <c>AddStorage(configuration)</c> as the README tells users to,
/// served over HTTP by minimal-API routes, with errors as RFC 7807 problem details and a <c>/health</c> route.
/// </summary>
/// <remarks>
/// <see cref="Build"/> reads <see cref="FlagsFileKey"/> (from the arguments, the environment or the caller's
/// configuration) and follows that JSON file while the host runs, so an operator can change
/// <c>Storage:Migration</c> by rewriting it. Without a configured URL the host listens on <see cref="DefaultUrl"/> only.
/// </remarks>
[SuppressMessage("Maintainability", "CA1515:Consider making public types internal", Justification = "The migration walk references this host and starts it in-process.")]
public static class SampleHost
{
    /// <summary>The configuration key naming the JSON file of reloadable settings: <value>FlagsFile</value>.</summary>
    public const string FlagsFileKey = "FlagsFile";

    /// <summary>The URL listened on when none is configured: <value>http://127.0.0.1:5080</value> (loopback only).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The JSON options of every request and response body: web defaults (camelCase names, case-insensitive reading),
    /// enums as their names (numbers refused). Read-only; clients use it to send and read the same records.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>
    /// Creates the builder from <paramref name="args"/>, adds the <see cref="FlagsFileKey"/> file (optional, reloaded on
    /// change), lets <paramref name="configure"/> adjust the builder, registers the stores, the JSON options and the
    /// error mapping, builds the application and maps every route. The caller runs or starts it.
    /// </summary>
    /// <param name="args">Command-line arguments, for example <c>--FlagsFile flags.json --urls http://127.0.0.1:0</c>.</param>
    /// <param name="configure">Called before the stores are registered: add configuration, set URLs, logging, a test server.</param>
    /// <exception cref="InvalidOperationException"><c>Storage:Backend</c> names no backend.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var flagsFile = AddFlagsFile(builder.Configuration);
        configure?.Invoke(builder);

        // When only the caller's configuration names it, it is added after (and so overrides) what the caller added.
        flagsFile ??= AddFlagsFile(builder.Configuration);

        if (!HasUrls(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddStorage(builder.Configuration);
        if (builder.Services.Any(d => d.ServiceType == typeof(Storage.DualWrite.DualWriteCoordinator)))
        {
            // The in-host check of the two backends (Storage:ConsistencyCheck), feeding differences to the repair journal.
            builder.Services.AddDualWriteConsistencyCheck(builder.Configuration);
        }

        builder.Services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapProjectEndpoints();
        app.MapDependencyEndpoints();
        app.MapLedgerEndpoints();
        app.MapTaskEndpoints();
        app.MapHealthEndpoint();
        if (flagsFile is not null)
        {
            SampleHostLog.FollowingFlagsFile(app.Logger, flagsFile);
        }

        return app;
    }

    /// <summary>Adds the file named by <see cref="FlagsFileKey"/>, if any; returns its full path.</summary>
    private static string? AddFlagsFile(ConfigurationManager configuration)
    {
        var path = configuration[FlagsFileKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var fullPath = Path.GetFullPath(path);
        configuration.AddJsonFile(fullPath, optional: true, reloadOnChange: true);
        return fullPath;
    }

    private static bool HasUrls(ConfigurationManager configuration)
        => !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
            || configuration.GetSection("Kestrel:Endpoints").Exists();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
    }
}
