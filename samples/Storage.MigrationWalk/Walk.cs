using System.Diagnostics;
using Storage.Consistency;
using Storage.DualWrite;
using Storage.Testing;

namespace Storage.MigrationWalk;

/// <summary>
/// The whole migration in one run: a throwaway PostgreSQL, the host on the in-memory backend with a generated data
/// set, a mixed workload over HTTP, and every phase walked by rewriting the running host's flags, with the checker
/// between phases and, on request, PostgreSQL stopped part-way.
/// </summary>
public sealed class Walk
{
    private readonly WalkOptions _options;
    private readonly TextWriter _log;
    private PhaseRecorder _current;

    private Walk(WalkOptions options, TextWriter log)
    {
        _options = options;
        _log = log;
        _current = new PhaseRecorder("warm-up", Stopwatch.GetTimestamp());
    }

    /// <summary>Runs the walk and writes its report to <see cref="WalkOptions.OutputDirectory"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static async Task<WalkResult> RunAsync(WalkOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        return await new Walk(options, log).RunAsync(cancellationToken);
    }

    private async Task<WalkResult> RunAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(_options.OutputDirectory).FullName;
        var setup = Stopwatch.StartNew();
        _log.WriteLine($"starting a throwaway PostgreSQL server");
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = await server.CreateDatabaseAsync("walk");

        var size = _options.Size;
        _log.WriteLine($"generating {size.Projects:N0} projects, {size.Edges:N0} edges, {size.Contributors:N0} contributors, {size.Assets:N0} assets, {size.Contributions:N0} contributions, {size.Tasks:N0} agent tasks");
        var snapshot = Path.Combine(folder, "dataset.jsonl");
        var catalog = await DataSetGenerator.GenerateAsync(size, snapshot, cancellationToken);
        _log.WriteLine($"starting the host on the in-memory backend ({snapshot})");
        await using var host = await WalkHost.StartAsync(folder, snapshot, connectionString, _options.RecheckDelay, cancellationToken);
        _log.WriteLine($"host at {host.Address} (log: {Path.Combine(folder, "host.log")}); setup took {setup.Elapsed.TotalSeconds:N1} s");
        _log.WriteLine($"offering {_options.Rate:N0} requests/s, {_options.PhaseDuration.TotalSeconds:N0} s per phase{(_options.Fault ? $", PostgreSQL stopped for {_options.FaultDuration.TotalSeconds:N0} s in phases 2 and 3 (50%)" : "")}");
        _log.WriteLine();
        _log.WriteLine(ConsoleReport.Header);

        var setupSeconds = setup.Elapsed.TotalSeconds;
        var walkStart = Stopwatch.GetTimestamp();
        using var listener = new BackendListener(() => Volatile.Read(ref _current));
        using var client = new HostClient(host.Address, walkStart, () => Volatile.Read(ref _current));
        using var workload = new Workload(client, catalog, () => Volatile.Read(ref _current));
        using var stopWorkload = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = Task.Run(() => workload.RunAsync(_options.Rate, stopWorkload.Token), CancellationToken.None);

        var phases = new List<PhaseResult>();
        try
        {
            await Task.Delay(_options.WarmUp, cancellationToken);
            foreach (var phase in WalkPhase.All)
            {
                var result = await RunPhaseAsync(phase, host, server, walkStart, cancellationToken);
                phases.Add(result);
                _log.WriteLine(ConsoleReport.Row(result));
            }
        }
        finally
        {
            await stopWorkload.CancelAsync();
            await load;
        }

        _log.WriteLine();
        _log.WriteLine("workload stopped; waiting for the repair journal to drain, then the final check");
        await host.DrainAsync(_options.DrainTimeout, cancellationToken);
        var final = await CheckAsync(host, cancellationToken);
        var walk = new WalkResult
        {
            Options = _options,
            Phases = phases,
            FinalDifferences = final.Differences,
            FinalCompared = final.Compared,
            SetupSeconds = setupSeconds,
        };
        _log.WriteLine(ConsoleReport.Summary(walk));
        var report = await HtmlReport.WriteAsync(walk, folder, cancellationToken);
        _log.WriteLine($"report: {report}");
        return walk;
    }

    private async Task<PhaseResult> RunPhaseAsync(WalkPhase phase, WalkHost host, PostgresServer server, long walkStart, CancellationToken cancellationToken)
    {
        await host.SetFlagsAsync(phase.Flags, cancellationToken);
        var recorder = new PhaseRecorder(phase.Name, Stopwatch.GetTimestamp());
        Volatile.Write(ref _current, recorder);
        var started = Stopwatch.GetTimestamp();

        var duration = _options.PhaseDuration;
        Task<(double, double)?> fault = Task.FromResult<(double, double)?>(null);
        if (phase.Fault && _options.Fault)
        {
            var delay = duration / 5;
            duration = TimeSpan.FromTicks(Math.Max(duration.Ticks, (delay + _options.FaultDuration + TimeSpan.FromSeconds(5)).Ticks));
            fault = StopPostgresAsync(server, delay, walkStart, cancellationToken);
        }

        // The backfill runs while the workload does, from the moment dual writes start.
        var backfill = phase.Backfill ? BackfillAsync(host, cancellationToken) : null;
        await Task.Delay(duration, cancellationToken);
        var window = await fault;

        // The journal only drains where the reconciler runs and the caller's writes do not keep adding keys: not in
        // phase 1 (PostgreSQL is not written) nor phase 5 (in-memory is written in the background).
        var drains = phase.Flags.Phase is not (MigrationPhase.SourceOnly or MigrationPhase.TargetOnly);

        // The backfill ends first: until it has, the journal holds writes PostgreSQL refused for want of their
        // referenced records (a contribution whose contributor is not there yet), which drain only after it. The check
        // then runs on a drained journal, so what it finds is drift, not repairs still queued.
        var drainStarted = Stopwatch.GetTimestamp();
        long? repaired = backfill is null ? null : await backfill;

        var drained = !drains || await host.DrainAsync(_options.DrainTimeout, cancellationToken);
        (long Compared, long Differences)? check = phase.Check ? await CheckAsync(host, cancellationToken) : null;
        drained = drained && (!drains || await host.DrainAsync(_options.DrainTimeout, cancellationToken));
        var checks = new PhaseChecks
        {
            Repaired = repaired,
            Compared = check?.Compared ?? 0,
            Differences = check?.Differences,
            FaultDuration = window is null ? null : _options.FaultDuration,
            FaultWindow = window,
            JournalDepth = host.Coordinator.Journal.PendingCount,
            ClosingSeconds = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds,
        };
        if (!drained)
        {
            _log.WriteLine($"  the repair journal did not drain within {_options.DrainTimeout.TotalSeconds:N0} s ({checks.JournalDepth} keys pending)");
        }

        return recorder.ToResult(Stopwatch.GetElapsedTime(started).TotalSeconds, checks);
    }

    /// <summary>
    /// Runs the host's own consistency check (in-memory against PostgreSQL, differing keys read again after the
    /// recheck delay); what still differs goes to the repair journal.
    /// </summary>
    private async Task<(long Compared, long Differences)> CheckAsync(WalkHost host, CancellationToken cancellationToken)
    {
        var journaled = host.DriftSink.Journaled;
        var report = await host.Checks.RunOnceAsync(cancellationToken);
        if (!report.IsConsistent)
        {
            var kinds = string.Join(", ", report.Kinds.Where(k => k.MissingInTarget + k.ExtraInTarget + k.Different > 0).Select(k => $"{k.Kind}: {k.MissingInTarget} missing, {k.ExtraInTarget} extra, {k.Different} different"));
            _log.WriteLine($"  checker: {report.Differences} differences after the recheck ({kinds}); {host.DriftSink.Journaled - journaled} keys handed to the repair journal");
        }

        return (report.Compared, report.Differences);
    }

    /// <summary>
    /// The checker's repair from in-memory to PostgreSQL, as the backfill of a live host. It is idempotent, so an
    /// attempt cut short by a PostgreSQL outage is simply run again once the server answers.
    /// </summary>
    private async Task<long> BackfillAsync(WalkHost host, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var repair = await new ConsistencyEngine().RepairAsync(host.Sides.Source, host.Sides.Target, new RepairOptions(), cancellationToken: cancellationToken);
                _log.WriteLine($"  backfill: {repair.Repair.Written:N0} records written to PostgreSQL in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s ({attempt} attempt{(attempt == 1 ? "" : "s")})");
                return repair.Repair.Written;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && attempt < 20)
            {
                _log.WriteLine($"  backfill: attempt {attempt} stopped ({ex.GetType().Name}: {ex.Message.Split('\n')[0]}); running it again in 3 s");
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            }
        }
    }

    private async Task<(double, double)?> StopPostgresAsync(PostgresServer server, TimeSpan delay, long walkStart, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        var from = Stopwatch.GetElapsedTime(walkStart).TotalSeconds;
        _log.WriteLine($"  fault: stopping PostgreSQL for {_options.FaultDuration.TotalSeconds:N0} s");
        await server.StopAsync();
        try
        {
            await Task.Delay(_options.FaultDuration, cancellationToken);
        }
        finally
        {
            await server.StartAsync();
        }

        _log.WriteLine("  fault: PostgreSQL started again");
        return (from, Stopwatch.GetElapsedTime(walkStart).TotalSeconds);
    }
}
