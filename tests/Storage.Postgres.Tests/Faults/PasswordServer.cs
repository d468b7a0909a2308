using Npgsql;

namespace Storage.Postgres.Tests.Faults;

/// <summary>
/// A dedicated server where the role <see cref="Role"/> must give its password (SCRAM), every other role being
/// trusted as on any throwaway server. The store's schema is migrated by the superuser; <see cref="Role"/> may only
/// read and write rows (DML), as an application's role should.
/// </summary>
public sealed class PasswordServer : IAsyncLifetime
{
    public const string Role = "storage_app";
    public const string Password = "right-Pa55word";
    public const string Schema = "storage";

    private PostgresServer? _server;

    /// <summary>The application role's connection string without a password.</summary>
    public string AppConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartDedicatedAsync();
        var admin = await _server.CreateDatabaseAsync("auth");
        var database = new NpgsqlConnectionStringBuilder(admin).Database;

        await using (var connection = new NpgsqlConnection(_server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var show = new NpgsqlCommand("SHOW hba_file", connection);
            var hbaFile = (string)(await show.ExecuteScalarAsync())!;
            var rules = new[]
            {
                "local all all trust",
                $"host all {Role} 127.0.0.1/32 scram-sha-256",
                "host all all 127.0.0.1/32 trust",
                "host all all ::1/128 trust",
            };
            var values = string.Join(", ", rules.Select(r => $"('{r}')"));
            await using var write = new NpgsqlCommand(
                $"COPY (VALUES {values}) TO '{hbaFile.Replace("'", "''", StringComparison.Ordinal)}'; SELECT pg_reload_conf()", connection);
            await write.ExecuteNonQueryAsync();
        }

        await _server.ExecuteAsSuperuserAsync($"CREATE ROLE {Role} LOGIN PASSWORD '{Password}'");
        await using (var dataSource = PostgresStorageDataSource.Create(admin, Schema))
        {
            await PostgresMigrator.ApplyAsync(dataSource, Schema);
        }

        await _server.ExecuteAsSuperuserAsync(
            $"GRANT USAGE ON SCHEMA {Schema} TO {Role}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {Schema} TO {Role}",
            database);

        AppConnectionString = new NpgsqlConnectionStringBuilder(admin) { Username = Role, Password = null, Pooling = true }.ConnectionString;
        await WaitUntilPasswordsAreCheckedAsync();
    }

    public Task DisposeAsync() => _server?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    /// <summary>pg_reload_conf only signals the server: wait until a wrong password is refused.</summary>
    private async Task WaitUntilPasswordsAreCheckedAsync()
    {
        var probe = new NpgsqlConnectionStringBuilder(AppConnectionString) { Password = "probe", Pooling = false }.ConnectionString;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync();
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new InvalidOperationException("The server never started checking passwords.");
    }
}
