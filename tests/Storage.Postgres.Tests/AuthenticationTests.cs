using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Storage.Postgres.Tests.Faults;

namespace Storage.Postgres.Tests;

/// <summary>A role that must give its password, on a server of the class's own (<see cref="PasswordServer"/>).</summary>
[RequiresPostgres]
public sealed class AuthenticationTests(PasswordServer server) : IClassFixture<PasswordServer>
{
    [Fact]
    public async Task A_wrong_password_fails_at_once_without_the_password_in_the_error_or_the_logs()
    {
        var log = new CapturingLoggerFactory();
        await using var provider = ConnectionSecretTests.Provider(log, $"{server.AppConnectionString};Password={ConnectionSecretTests.Secret}");
        var store = provider.GetRequiredService<IAgentTaskStore>();

        var error = await Assert.ThrowsAsync<PostgresException>(() => store.GetTaskAsync("any"));

        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
        Assert.False(PostgresResilience.IsTransient(error));
        Assert.Empty(log.Retries);
        ConnectionSecretTests.AssertSecretAbsent(error.ToString());
        Assert.NotEmpty(log.Entries); // Npgsql's own logs included
        Assert.All(log.Entries, entry => ConnectionSecretTests.AssertSecretAbsent(entry.Text));
    }

    [Fact]
    public async Task The_right_password_works_and_a_DML_only_role_runs_both_stores_on_a_schema_migrated_by_another()
    {
        var log = new CapturingLoggerFactory();
        await using var provider = ConnectionSecretTests.Provider(log, $"{server.AppConnectionString};Password={PasswordServer.Password}");
        var tasks = provider.GetRequiredService<IAgentTaskStore>();
        var graph = provider.GetRequiredService<IGraphStore>();

        // The role may not change the schema, yet the migrator's fast path (nothing pending) needs no more than reads.
        var dataSource = provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStorageServiceCollectionExtensions.DataSourceKey);
        Assert.Empty(await PostgresMigrator.ApplyAsync(dataSource, PasswordServer.Schema));
        await using (var ddl = dataSource.CreateCommand("CREATE TABLE not_allowed (id integer)"))
        {
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => ddl.ExecuteNonQueryAsync())).SqlState);
        }

        var created = await tasks.CreateTaskAsync(new NewAgentTask("direction", AgentTaskType.Spec));
        Assert.Equal(created.Id, (await tasks.ClaimTaskAsync(created.Id, "worker")).Id);
        Assert.Equal(1, (await tasks.CountTasksByStatusAsync()).Running);
        var contributor = await graph.CreateContributorAsync(new NewContributor("Ada") { Email = "ada@example.org" });
        var asset = await graph.CreateAssetAsync(new NewAsset("model", AssetType.Model));
        await graph.CreateContributionAsync(new NewContribution(contributor.Id, asset.Id, 1.25m, 0.5m));
        Assert.Equal(1.25m, (await graph.GetAssetAsync(asset.Id))!.TotalCost);
        Assert.All(log.Entries, entry => Assert.DoesNotContain(PasswordServer.Password, entry.Text, StringComparison.Ordinal));
    }
}
