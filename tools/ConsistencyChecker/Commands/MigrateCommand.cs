using System.CommandLine;
using System.Text.Json;
using ConsistencyChecker.Output;
using ConsistencyChecker.Stores;
using Npgsql;
using Storage.Postgres;

namespace ConsistencyChecker.Commands;

/// <summary><c>migrate</c>: applies the schema migrations, for deployments whose application role may not.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliConsole console)
    {
        var target = CompareOptions.StoreOption("--target", "The PostgreSQL connection string (of a role that may create the schema and its tables).");
        var schema = CompareOptions.SchemaOption("--target-schema", "--target");
        var format = CompareOptions.FormatOption();
        var command = new Command(
            "migrate",
            "Apply the pending schema migrations to a PostgreSQL schema (created when missing), in order, under an advisory lock, then build the indexes a stopped repair left listed. Running it again changes nothing.")
        {
            target, schema, format,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            new StoreArgument("--target", parse.GetRequiredValue(target), parse.GetValue(schema) ?? "storage"),
            CompareOptions.FormatOf(parse, format),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, StoreArgument store, OutputFormat format, CancellationToken cancellationToken)
    {
        try
        {
            if (!store.IsPostgres)
            {
                throw new CheckerFailure(ExitCode.BadInput, "migrate needs a PostgreSQL connection string in --target (it holds '=')");
            }

            await using var dataSource = PostgresStore.CreateDataSource(store);
            IReadOnlyList<int> applied;
            int version;
            var built = 0;
            try
            {
                applied = await PostgresMigrator.ApplyAsync(dataSource, store.Schema, cancellationToken);
                version = await PostgresStore.VersionAsync(dataSource, cancellationToken) ?? 0;
                PostgresStore.ThrowIfNewer(store, version);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
            {
                throw new CheckerFailure(
                    ExitCode.BadInput,
                    $"{store.Describe()}: {ex.MessageText}, made by something other than these migrations: give them a schema of their own (--target-schema), or remove what is there",
                    ex);
            }
            catch (NpgsqlException ex)
            {
                var (code, message) = Failures.Postgres(ex, store.Describe());
                throw new CheckerFailure(code, message, ex);
            }

            built = await BuildPendingIndexesAsync(dataSource, store, applied, version, cancellationToken);
            var left = built < 0 ? 0 : await StillListedAsync(dataSource, cancellationToken);
            built = Math.Max(built, 0);
            if (format == OutputFormat.Json)
            {
                var document = new MigrateOutput(ReportJson.SchemaVersion, "migrate", store.Describe(), applied, version, built);
                console.Out.WriteLine(JsonSerializer.Serialize(document, CheckerJsonContext.Output.MigrateOutput));
            }
            else
            {
                console.Out.WriteLine(applied.Count == 0
                    ? $"{store.Describe()} is up to date (version {version})"
                    : $"{store.Describe()}: applied {string.Join(", ", applied)} (now version {version})");
                if (built > 0)
                {
                    console.Out.WriteLine($"built {built} indexes a stopped repair had left to build");
                }
            }

            if (left > 0)
            {
                // Every listed build this run could take is done: the others are held by another run, building them.
                console.Message($"{left} listed indexes are being built by another run");
            }

            return (int)ExitCode.Consistent;
        }
        catch (Exception ex)
        {
            var (code, message) = Failures.Describe(ex, [store], Failures.MigrateCancelled, cancellationToken);
            console.Message("error: " + message);
            return (int)code;
        }
    }

    /// <summary>
    /// Builds the indexes a repair stopped after its commit left listed; a failure says that the migrations are applied.
    /// Returns how many, or -1 when this role may not take them off the list.
    /// </summary>
    private static async Task<int> BuildPendingIndexesAsync(
        NpgsqlDataSource dataSource, StoreArgument store, IReadOnlyList<int> applied, int version, CancellationToken cancellationToken)
    {
        var migrations = applied.Count == 0 ? $"the schema is up to date (version {version})" : $"migrations {string.Join(", ", applied)} are applied (now version {version})";
        try
        {
            return await PostgresIndexBuilds.RunPendingAsync(dataSource, cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CheckerFailure(
                ExitCode.Cancelled,
                $"cancelled while building the indexes a stopped repair left; {migrations}, and the unbuilt indexes stay listed: run migrate again to build them");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // A role that may not take builds off the list (not its owner) builds none: -1, so nothing is said of them.
            return -1;
        }
        catch (PostgresIndexBuildException ex)
        {
            var code = ex.InnerException is NpgsqlException inner ? Failures.Postgres(inner, store.Describe()).Code : ExitCode.BadInput;
            throw new CheckerFailure(code, $"{migrations}, but {ex.Message}: run migrate again once the cause is fixed", ex);
        }
        catch (NpgsqlException ex)
        {
            var (code, message) = Failures.Postgres(ex, store.Describe());
            throw new CheckerFailure(code, $"{migrations}, but the indexes a stopped repair left cannot be built: {message}", ex);
        }
    }

    private static async Task<int> StillListedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            return await PostgresIndexBuilds.CountPendingAsync(dataSource, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return 0;
        }
    }
}
