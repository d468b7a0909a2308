using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Storage.Postgres.Tests;

[RequiresPostgres]
public sealed class HostedMigrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_hosted_service_migrates_at_start_only_when_asked(bool applyOnStartup)
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("startup");
        await using var provider = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddPostgresStorage(o =>
            {
                o.ConnectionString = connectionString;
                o.Schema = "app";
                o.ApplyMigrationsOnStartup = applyOnStartup;
            })
            .BuildServiceProvider();

        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        var store = provider.GetRequiredService<IAgentTaskStore>();
        if (applyOnStartup)
        {
            Assert.Equal(new AgentTaskCounts(0, 0, 0, 0, 0), await store.CountTasksByStatusAsync());
        }
        else
        {
            await Assert.ThrowsAsync<Npgsql.PostgresException>(() => store.CountTasksByStatusAsync());
        }
    }
}
