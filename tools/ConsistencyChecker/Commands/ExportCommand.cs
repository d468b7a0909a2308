using System.CommandLine;
using System.Text.Json;
using ConsistencyChecker.Output;
using ConsistencyChecker.Stores;
using Storage.Consistency;
using Storage.InMemory;
using Storage.Postgres;

namespace ConsistencyChecker.Commands;

/// <summary><c>export</c>: writes PostgreSQL's data to a snapshot file, from which an in-memory backend can be rebuilt (the rollback path).</summary>
internal static class ExportCommand
{
    public static Command Create(CliConsole console, TimeProvider timeProvider)
    {
        var source = CompareOptions.StoreOption("--source", "The PostgreSQL connection string to export from.");
        var schema = CompareOptions.SchemaOption("--source-schema", "--source");
        var output = new Option<string>("--output") { Description = "The snapshot file to write (replaced whole, never torn).", Required = true };
        CompareOptions.NotEmpty(output, "the path of the snapshot file to write");
        var format = CompareOptions.FormatOption();
        var command = new Command(
            "export",
            "Write every record of a PostgreSQL store to a snapshot file (JSON Lines, docs/snapshot-format.md), so the in-memory backend can be rebuilt from it.")
        {
            source, schema, output, format,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            timeProvider,
            new StoreArgument("--source", parse.GetRequiredValue(source), parse.GetValue(schema) ?? "storage"),
            parse.GetRequiredValue(output),
            CompareOptions.FormatOf(parse, format),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console, TimeProvider timeProvider, StoreArgument store, string path, OutputFormat format, CancellationToken cancellationToken)
    {
        try
        {
            if (!store.IsPostgres)
            {
                throw new CheckerFailure(ExitCode.BadInput, "export reads PostgreSQL: --source must be a connection string (it holds '='), not a file");
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is null || !Directory.Exists(folder))
            {
                throw new CheckerFailure(ExitCode.BadInput, $"--output {path}: the folder {folder} does not exist: create it or choose another path");
            }

            // Every table is read as of one moment (one transaction), so the file loads again however many writers
            // commit while it is written; its time is taken before that moment.
            await using var dataSource = await PostgresStore.OpenDataSourceAsync(store, cancellationToken);
            var takenAt = StorageTime.Now(timeProvider);
            await using var read = await PostgresSnapshotRead.BeginAsync(dataSource, cancellationToken);
            var streams = new SnapshotStreams(
                read.StreamProjectsAsync(cancellationToken),
                read.StreamDependenciesAsync(cancellationToken),
                read.StreamContributorsAsync(cancellationToken),
                read.StreamAssetsAsync(cancellationToken),
                read.StreamContributionsAsync(cancellationToken),
                read.StreamTasksAsync(cancellationToken));
            var summary = await ProgressDisplay.RunAsync(
                console,
                "export",
                new ConsistencyProgress(),
                total: null,
                () => SnapshotWriter.WriteAsync(path, streams, takenAt, cancellationToken));
            var records = summary.Counts.OrderBy(c => c.Key).ToDictionary(c => SnapshotFormat.Tag(c.Key), c => c.Value, StringComparer.Ordinal);
            if (format == OutputFormat.Json)
            {
                var document = new ExportOutput(ReportJson.SchemaVersion, "export", store.Describe(), path, summary.Header.TakenAt, records, summary.Total);
                console.Out.WriteLine(JsonSerializer.Serialize(document, CheckerJsonContext.Output.ExportOutput));
            }
            else
            {
                console.Out.WriteLine($"exported {store.Describe()} to {path} (taken at {summary.Header.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff} UTC)");
                foreach (var (kind, count) in records)
                {
                    console.Out.WriteLine($"{kind,-14}{count,12:N0}");
                }

                console.Out.WriteLine($"{"total",-14}{summary.Total,12:N0}");
            }

            console.Message($"exported {summary.Total:N0} records to {path}");
            return (int)ExitCode.Consistent;
        }
        catch (Exception ex)
        {
            var (code, message) = Failures.Describe(ex, [store], Failures.ExportCancelled, cancellationToken);
            console.Message("error: " + message);
            return (int)code;
        }
    }
}
