using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Storage.Postgres.Tests.Faults;

namespace Storage.Postgres.Tests;

/// <summary>A password in the connection string appears in no error message and no log entry, whatever goes wrong. No server needed.</summary>
public sealed class ConnectionSecretTests
{
    internal const string Secret = "S3cret-XYZ";

    [Theory]
    [InlineData("Host=localhost;Password=ab;" + Secret + "=1")]
    [InlineData("Host=localhost;Password=ab;" + Secret)]
    [InlineData("Host=localhost;Password=" + Secret + ";Port=not-a-port")]
    [InlineData("Host=localhost;Password=\"" + Secret)]
    [InlineData("Host=a,b;Port=1,2,3;Password=" + Secret)]
    public void A_connection_string_that_cannot_be_used_is_reported_without_any_of_its_text(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresStorageDataSource.Create(connectionString, "storage"));
        AssertSecretAbsent(error.ToString());

        using var provider = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(new CapturingLoggerFactory())
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddPostgresStorage(o => o.ConnectionString = connectionString)
            .BuildServiceProvider();
        var invalid = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ConnectionString", invalid.Message, StringComparison.Ordinal);
        AssertSecretAbsent(invalid.ToString());
    }

    [Fact]
    public async Task An_unreachable_host_is_retried_and_reported_without_the_password_in_the_error_or_the_logs()
    {
        var log = new CapturingLoggerFactory();
        await using var provider = Provider(log, $"Host=127.0.0.1;Port={DeadPort()};Username=app;Password={Secret};Timeout=5");
        var store = provider.GetRequiredService<IAgentTaskStore>();

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.GetTaskAsync("any"));

        Assert.True(PostgresResilience.IsTransient(error));
        Assert.Equal(2, log.Retries.Count);
        AssertSecretAbsent(error.ToString());
        Assert.NotEmpty(log.Entries); // Npgsql's own logs included
        Assert.All(log.Entries, entry => AssertSecretAbsent(entry.Text));
        AssertSecretAbsent(provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStorageServiceCollectionExtensions.DataSourceKey).ConnectionString);
    }

    /// <summary>The stores through <c>AddPostgresStorage</c>, logging (Npgsql's logs included) to <paramref name="log"/>; 2 immediate retries.</summary>
    internal static ServiceProvider Provider(CapturingLoggerFactory log, string connectionString) => new ServiceCollection()
        .AddSingleton<ILoggerFactory>(log)
        .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
        .AddPostgresStorage(o =>
        {
            o.ConnectionString = connectionString;
            o.MaxRetryAttempts = 2;
            o.RetryDelay = TimeSpan.Zero;
        })
        .BuildServiceProvider();

    internal static void AssertSecretAbsent(string text)
        => Assert.False(text.Contains(Secret, StringComparison.OrdinalIgnoreCase), $"The secret appears in: {text}");

    /// <summary>A loopback port nothing listens on.</summary>
    internal static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
