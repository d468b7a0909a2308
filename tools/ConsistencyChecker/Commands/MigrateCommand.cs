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
            try
            {
                await PostgresStore.ConnectAsync(dataSource, store, cancellationToken);
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

            var (built, left) = await BuildPendingIndexesAsync(dataSource, store, applied, version, cancellationToken);
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
    /// Returns how many it built, and how many are still listed: those another run holds, building them (none told of a
    /// role that may not take builds off the list).
    /// </summary>
    private static async Task<(int Built, int Left)> BuildPendingIndexesAsync(
        NpgsqlDataSource dataSource, StoreArgument store, IReadOnlyList<int> applied, int version, CancellationToken cancellationToken)
    {
        var migrations = applied.Count == 0 ? $"the schema is up to date (version {version})" : $"migrations {string.Join(", ", applied)} are applied (now version {version})";
        try
        {
            var built = await PostgresIndexBuilds.RunPendingAsync(dataSource, cancellationToken: cancellationToken);
            return (built, await PostgresIndexBuilds.CountPendingAsync(dataSource, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CheckerFailure(
                ExitCode.Cancelled,
                $"cancelled while building the indexes a stopped repair left; {migrations}, and the unbuilt indexes stay listed: run migrate again to build them");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // A role that may not take builds off the list (not its owner) builds none, and is told nothing of them.
            return (0, 0);
        }
        catch (PostgresIndexBuildException ex)
        {
            throw new CheckerFailure(Failures.CodeOf(ex, store.Describe()), $"{migrations}, but {ex.Message}: run migrate again once the cause is fixed", ex);
        }
        catch (NpgsqlException ex)
        {
            var (code, message) = Failures.Postgres(ex, store.Describe());
            throw new CheckerFailure(code, $"{migrations}, but the indexes a stopped repair left cannot be built: {message}", ex);
        }
    }
}
