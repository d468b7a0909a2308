using System.Collections.Concurrent;

namespace Storage.MigrationWalk;

/// <summary>What happened in one phase, recorded by the workload and the backend listener from many threads.</summary>
public sealed class PhaseRecorder
{
    private readonly Lock _lock = new();
    private readonly List<double> _requests = [];
    private readonly List<double> _source = [];
    private readonly List<double> _target = [];
    private readonly ConcurrentDictionary<string, long> _errorsByKind = new(StringComparer.Ordinal);
    private readonly List<(double Second, double Milliseconds)> _timeline = [];
    private long _sourceReads;
    private long _targetReads;
    private long _errors;
    private long _staleReads;
    private long _claimRaces;
    private long _doubleClaims;
    private long _lostUpdates;

    /// <summary>Creates the recorder of <paramref name="name"/>.</summary>
    public PhaseRecorder(string name, long startedAt)
    {
        Name = name;
        StartedAt = startedAt;
    }

    /// <summary>The phase's name.</summary>
    public string Name { get; }

    /// <summary>When the phase started (<see cref="System.Diagnostics.Stopwatch"/> timestamp of the walk's clock).</summary>
    public long StartedAt { get; }

    /// <summary>Records a request that got the answer it expected.</summary>
    public void Request(double milliseconds, double walkSecond)
    {
        lock (_lock)
        {
            _requests.Add(milliseconds);
            _timeline.Add((walkSecond, milliseconds));
        }
    }

    /// <summary>Records a request that failed or got an answer it did not expect.</summary>
    public void Error(string what, double milliseconds, double walkSecond)
    {
        Failure(what);
        Request(milliseconds, walkSecond);
    }

    /// <summary>Records an error that is not one request's answer (no latency sample).</summary>
    public void Failure(string what)
    {
        Interlocked.Increment(ref _errors);
        _errorsByKind.AddOrUpdate(what, 1, (_, n) => n + 1);
    }

    /// <summary>Records a read of a key the caller had just written that did not return the caller's write.</summary>
    public void StaleRead() => Interlocked.Increment(ref _staleReads);

    /// <summary>Records one claim race: how many of its claims won, and whether the winner's last update was kept.</summary>
    public void ClaimRace(int winners, bool updateKept)
    {
        Interlocked.Increment(ref _claimRaces);
        if (winners != 1)
        {
            Interlocked.Increment(ref _doubleClaims);
        }

        if (!updateKept)
        {
            Interlocked.Increment(ref _lostUpdates);
        }
    }

    /// <summary>Records one call the host made to a backend (from the dual-write meter).</summary>
    public void Backend(bool target, double milliseconds)
    {
        lock (_lock)
        {
            (target ? _target : _source).Add(milliseconds);
        }
    }

    /// <summary>Records <paramref name="count"/> reads served by a backend (from the dual-write meter).</summary>
    public void Read(bool target, long count) => Interlocked.Add(ref target ? ref _targetReads : ref _sourceReads, count);

    /// <summary>The phase's figures, as they are now.</summary>
    public PhaseResult ToResult(double seconds, PhaseChecks checks)
    {
        lock (_lock)
        {
            return new PhaseResult
            {
                Name = Name,
                Seconds = seconds,
                Requests = LatencyStats.Of([.. _requests]),
                Errors = Interlocked.Read(ref _errors),
                ErrorsByKind = new SortedDictionary<string, long>(_errorsByKind, StringComparer.Ordinal),
                StaleReads = Interlocked.Read(ref _staleReads),
                InMemory = LatencyStats.Of([.. _source]),
                Postgres = LatencyStats.Of([.. _target]),
                ReadsFromPostgres = Interlocked.Read(ref _targetReads),
                ReadsFromInMemory = Interlocked.Read(ref _sourceReads),
                ClaimRaces = Interlocked.Read(ref _claimRaces),
                DoubleClaims = Interlocked.Read(ref _doubleClaims),
                LostUpdates = Interlocked.Read(ref _lostUpdates),
                Timeline = [.. _timeline],
                Checks = checks,
            };
        }
    }
}
