using ConsistencyChecker.Output;
using ConsistencyChecker.Stores;
using Storage.Consistency;

namespace ConsistencyChecker.Commands;

/// <summary>Runs a <c>check</c> or a <c>repair</c>: opens both sides, runs the engine with progress, writes the report.</summary>
internal sealed class CompareRunner(CliConsole console, TimeProvider timeProvider)
{
    public async Task<int> RunAsync(CompareRequest request, CancellationToken cancellationToken)
    {
        try
        {
            Validate(request);
            await using var source = await OpenAsync(request.Source, cancellationToken);
            await using var target = await OpenAsync(request.Target, cancellationToken);
            var progress = new ConsistencyProgress();
            var options = new ConsistencyCheckOptions
            {
                SampleSize = request.Samples,
                RecheckDelay = request.RecheckSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Progress = progress,
            };
            var total = await TotalAsync(source, target, cancellationToken);
            var engine = new ConsistencyEngine(timeProvider);
            ConsistencyReport check;
            RepairReport? repair = null;
            if (request.Repair)
            {
                if (!request.DryRun && request.BulkLoad && target is LiveStoreSource { BulkLoader: PostgresBulkLoader loader })
                {
                    // Indexes a repair stopped after its commit left unbuilt: built first, so running it again completes
                    // it. A build that cannot be done now (a role that does not own the tables, a listed definition
                    // that fails) holds up no write: it is named, and the repair goes on.
                    var starting = (int listed) => console.Message($"building the {listed} indexes a stopped repair left listed, before the repair");
                    if (await loader.TryBuildPendingIndexesAsync(starting, cancellationToken) is { } warning)
                    {
                        console.Message("warning: " + PostgresStore.Redact(warning, [request.Target.Value]));
                    }
                }

                var repairOptions = new RepairOptions
                {
                    BatchSize = request.BatchSize,
                    DeleteExtras = request.DeleteExtras,
                    DryRun = request.DryRun,
                    SampleSize = request.Samples,
                    BulkLoad = request.BulkLoad,
                };
                var result = await ProgressDisplay.RunAsync(
                    console, request.DryRun ? "repair (dry run)" : "repair", progress, total,
                    () => engine.RepairAsync(source, (LiveStoreSource)target, repairOptions, options, cancellationToken));
                (check, repair) = (result.Check, result.Repair);
            }
            else
            {
                check = await ProgressDisplay.RunAsync(
                    console, "check", progress, total, () => engine.CheckAsync(source, target, options, sink: null, cancellationToken));
            }

            var exitCode = ExitCodeOf(check, repair);
            var sides = (Side(request.Source, source), Side(request.Target, target));
            if (request.Format == OutputFormat.Json)
            {
                ReportJson.Write(console.Out, request.Repair ? "repair" : "check", sides.Item1, sides.Item2, check, repair, exitCode);
            }
            else
            {
                ReportTable.Write(console.Out, sides.Item1, sides.Item2, check, repair);
            }

            console.Message(Summary(check, repair, exitCode));
            return (int)exitCode;
        }
        catch (Exception ex)
        {
            var cancelled = request.Repair ? Failures.RepairCancelled : Failures.CheckCancelled;
            var (code, message) = Failures.Describe(ex, [request.Source, request.Target], cancelled, cancellationToken);
            console.Message("error: " + message);
            return (int)code;
        }
    }

    /// <summary>Opens one side: a snapshot file, or PostgreSQL stores (probed now, so an unreachable server fails early).</summary>
    public static async Task<IConsistencySource> OpenAsync(StoreArgument store, CancellationToken cancellationToken)
    {
        if (!store.IsPostgres)
        {
            return await SnapshotFileSource.OpenAsync(store.Value, cancellationToken);
        }

        return await PostgresStore.OpenAsync(store, cancellationToken);
    }

    private static void Validate(CompareRequest request)
    {
        string[] repairOnly = ["--delete-extras", "--dry-run", "--batch-size", "--no-bulk-load"];
        if (!request.Repair && repairOnly.Where(request.Given.Contains).ToList() is [_, ..] given)
        {
            throw new CheckerFailure(
                ExitCode.BadInput, $"{string.Join(", ", given)} {(given.Count == 1 ? "goes" : "go")} with a repair: add --repair, or use the repair command");
        }

        if (request.Repair && !request.Target.IsPostgres)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                "a repair writes to PostgreSQL: --target must be a connection string (it holds '='), not a snapshot file");
        }

        // (A snapshot path that names no file is left for opening it to report.)
        if (new[] { request.Source, request.Target }.FirstOrDefault(s => !s.IsPostgres && File.Exists(s.Value) && request.Given.Contains($"{s.Option}-schema")) is { } store)
        {
            throw new CheckerFailure(
                ExitCode.BadInput,
                $"{store.Option}-schema names a PostgreSQL schema, and {store.Option} is a snapshot file: leave the option out");
        }
    }

    private static async Task<long?> TotalAsync(IConsistencySource source, IConsistencySource target, CancellationToken cancellationToken)
    {
        var (s, t) = (await source.EstimateRecordCountAsync(cancellationToken), await target.EstimateRecordCountAsync(cancellationToken));
        return (s, t) switch
        {
            (null, null) => null,
            ({ } a, { } b) => a + b,
            ({ } a, null) => 2 * a,
            (null, { } b) => 2 * b,
        };
    }

    private static ExitCode ExitCodeOf(ConsistencyReport check, RepairReport? repair)
    {
        if (check.IsConsistent)
        {
            return ExitCode.Consistent;
        }

        if (repair is null || repair.DryRun)
        {
            return ExitCode.DifferencesFound;
        }

        var notRechecked = check.Kinds.Sum(k => k.NotRechecked);
        return repair.IsComplete && notRechecked == 0 ? ExitCode.Consistent : ExitCode.DifferencesFound;
    }

    private static SideInfo Side(StoreArgument store, IConsistencySource side)
        => new(store.IsPostgres ? "postgres" : "snapshot", side.Description, side.TakenAt);

    private static string Summary(ConsistencyReport check, RepairReport? repair, ExitCode exitCode)
    {
        var changed = check.ChangedSinceSnapshot > 0 ? $"; {check.ChangedSinceSnapshot:N0} changed since the snapshot (not differences)" : "";
        var seconds = (check.CompletedAt - check.StartedAt).TotalSeconds;
        if (check.IsConsistent)
        {
            return $"consistent: {check.Compared:N0} records compared in {seconds:N1} s{changed}";
        }

        var found = $"{check.MissingInTarget:N0} missing in the target, {check.ExtraInTarget:N0} extra, {check.Different:N0} different";
        if (repair is null)
        {
            return $"differences found: {found} ({check.Compared:N0} compared{changed}); to fix them run the repair command with the same --source and --target";
        }

        if (repair.DryRun)
        {
            return $"dry run: {found}; a repair would write {repair.Written:N0} and delete {repair.Deleted:N0} records; nothing was written";
        }

        if (exitCode == ExitCode.Consistent)
        {
            return $"repaired: {found}; wrote {repair.Written:N0} and deleted {repair.Deleted:N0} records; no difference is left";
        }

        var left = new List<string>();
        var kept = repair.Kinds.Sum(k => k.ExtrasKept);
        var undeletable = repair.Kinds.Sum(k => k.ExtrasNotDeletable);
        var notRechecked = check.Kinds.Sum(k => k.NotRechecked);
        if (kept > 0)
        {
            left.Add($"{kept:N0} extras kept (add --delete-extras to delete extra projects and edges)");
        }

        if (undeletable > 0)
        {
            left.Add($"{undeletable:N0} extra contributors, assets, contributions or tasks (no delete exists for them: remove them by hand)");
        }

        if (repair.Failed > 0)
        {
            left.Add($"{repair.Failed:N0} records refused by the target (first: {repair.Kinds.First(k => k.FirstFailure is not null).FirstFailure})");
        }

        var unexplained = repair.Kinds.Sum(k => k.DerivedUnexplained);
        if (unexplained > 0)
        {
            left.Add($"{unexplained:N0} records whose derived value (dependency_count, total_cost) their edges and contributions do not account for: one side's own value is wrong, and no write fixes it");
        }

        if (notRechecked > 0)
        {
            left.Add($"{notRechecked:N0} differences past the recheck limit (run again, or without --recheck)");
        }

        return $"repaired partly: wrote {repair.Written:N0} and deleted {repair.Deleted:N0} records; left: {string.Join("; ", left)}";
    }
}
