using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Storage.Postgres.Tests;

public sealed class ServiceCollectionTests
{
    private const string Secret = "s3cr3t-Pa55word";

    [Fact]
    public void AddPostgresStorage_registers_both_stores_as_singletons_with_system_time_and_v7_ids()
    {
        using var provider = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddPostgresStorage(o => o.ConnectionString = $"Host=localhost;Username=app;Password={Secret}")
            .BuildServiceProvider();

        Assert.IsType<PostgresGraphStore>(provider.GetRequiredService<IGraphStore>());
        Assert.IsType<PostgresAgentTaskStore>(provider.GetRequiredService<IAgentTaskStore>());
        Assert.Same(provider.GetRequiredService<IGraphStore>(), provider.GetRequiredService<IGraphStore>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.IsType<GuidV7IdGenerator>(provider.GetRequiredService<IStorageIdGenerator>());
        var dataSource = provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStorageServiceCollectionExtensions.DataSourceKey);
        Assert.Equal("storage", new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).SearchPath);
    }

    [Fact]
    public void AddPostgresStorage_keeps_time_and_ids_registered_before()
    {
        var time = new ManualTimeProvider();
        var ids = new SequentialIdGenerator();
        using var provider = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IStorageIdGenerator>(ids)
            .AddPostgresStorage(o => o.ConnectionString = "Host=localhost")
            .BuildServiceProvider();

        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
        Assert.Same(ids, provider.GetRequiredService<IStorageIdGenerator>());
    }

    [Fact]
    public async Task The_stores_data_source_is_keyed_and_independent_of_the_applications_own()
    {
        await using var own = NpgsqlDataSource.Create("Host=elsewhere;Database=app");
        await using var provider = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddSingleton(own)
            .AddPostgresStorage(o => o.ConnectionString = "Host=localhost;Database=storage_db")
            .BuildServiceProvider();

        Assert.Same(own, provider.GetRequiredService<NpgsqlDataSource>());
        var keyed = provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStorageServiceCollectionExtensions.DataSourceKey);
        Assert.Equal("storage_db", new NpgsqlConnectionStringBuilder(keyed.ConnectionString).Database);
    }

    [Theory]
    [InlineData("", "storage", 30, "ConnectionString is required")]
    [InlineData("Host=localhost;Password=" + Secret + ";NoSuchKeyword=1", "storage", 30, "ConnectionString is not a valid")]
    [InlineData("Host=localhost;Password=" + Secret, "Bad-Schema", 30, "Schema must be a simple identifier")]
    [InlineData("Host=localhost;Password=" + Secret, "pg_catalog", 30, "Schema must not be a reserved")]
    [InlineData("Host=localhost;Password=" + Secret, "storage", 0, "CommandTimeout must be between")]
    public void Invalid_options_fail_at_start_without_revealing_the_connection_string(
        string connectionString, string schema, int timeoutSeconds, string expected)
    {
        using var provider = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = connectionString;
                o.Schema = schema;
                o.CommandTimeout = TimeSpan.FromSeconds(timeoutSeconds);
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 100, "MaxRetryAttempts must be between 0 and 10")]
    [InlineData(11, 100, "MaxRetryAttempts must be between 0 and 10")]
    [InlineData(3, -1, "RetryDelay must be between")]
    [InlineData(3, 10_001, "RetryDelay must be between")]
    public void Invalid_retry_settings_fail_at_start(int maxRetryAttempts, int delayMilliseconds, string expected)
    {
        using var provider = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = "Host=localhost";
                o.MaxRetryAttempts = maxRetryAttempts;
                o.RetryDelay = TimeSpan.FromMilliseconds(delayMilliseconds);
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPostgresStorage_builds_the_retry_policy_from_the_options_and_accepts_libpq_host_lists()
    {
        using var provider = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = $"Host=db1,db2;Port=5432,5433;Username=app;Password={Secret};Target Session Attributes=prefer-primary";
                o.MaxRetryAttempts = 5;
                o.RetryDelay = TimeSpan.FromSeconds(1);
            })
            .BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var resilience = provider.GetRequiredService<PostgresResilience>();
        Assert.Equal((5, TimeSpan.FromSeconds(1)), (resilience.MaxRetryAttempts, resilience.RetryDelay));
        var dataSource = provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStorageServiceCollectionExtensions.DataSourceKey);
        Assert.IsType<NpgsqlMultiHostDataSource>(dataSource);
        Assert.Equal("db1:5432,db2:5433", new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Host);
        Assert.DoesNotContain(Secret, dataSource.ConnectionString, StringComparison.Ordinal);
    }
}
