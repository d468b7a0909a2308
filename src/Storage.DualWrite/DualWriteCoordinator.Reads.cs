using System.Diagnostics;
using Polly.CircuitBreaker;

namespace Storage.DualWrite;

public sealed partial class DualWriteCoordinator
{
    /// <summary>
    /// A keyed read: routed by the key (<see cref="RouteKeyed"/>), counted, measured, and, when sampled, compared with
    /// the other backend off the caller's path. Adds no allocation when the chosen backend answers synchronously.
    /// </summary>
    /// <remarks>
    /// While every key is routed to the authoritative backend (<see cref="ReadsOnlyAuthoritative"/>: phases 1, 2, 4 and 5
    /// with no key pending repair and no shadow reads), the key is not built at all: the argument goes to that backend
    /// as given, and the backend validates it (once, instead of once here and once there). Otherwise a key that does not
    /// validate sends the call straight to the authoritative backend, which reports the error.
    /// </remarks>
    internal Task<T> ReadKeyed<TStore, TArg, T>(
        StorePair<TStore> stores,
        string operation,
        TArg arg,
        KeyOf<TArg> keyOf,
        Func<TStore, TArg, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
        where TStore : class
    {
        var flags = Flags.Current;
        if (ReadsOnlyAuthoritative(flags))
        {
            var authoritative = flags.Authoritative;
            var started = Telemetry.Start();
            Telemetry.Read(authoritative);
            return Measure(read(stores.Get(authoritative), arg, cancellationToken), authoritative, operation, started);
        }

        if (!keyOf(arg, out var key))
        {
            return read(stores.Get(flags.Authoritative), arg, cancellationToken);
        }

        var start = Telemetry.Start();
        var task = Read(stores, RouteKeyed(key), operation, arg, read, start, cancellationToken, out var role);
        if (ShouldShadow())
        {
            ShadowRead(stores.Other(role), key, task, arg, read);
        }

        return task;
    }

    /// <summary>
    /// True when <see cref="RouteKeyed"/> would send every key to the authoritative backend and no read is sampled for a
    /// shadow comparison: no key is pending repair, and the target serves no share of reads while the source is
    /// authoritative. (The breaker only ever diverts reads routed to a non-authoritative target, so it plays no part.)
    /// </summary>
    private bool ReadsOnlyAuthoritative(MigrationFlags flags)
        => Journal.PendingCount == 0
            && Options.ShadowSampleRate <= 0
            && (flags.Authoritative == BackendRole.Target || !flags.DualWriteMode || flags.ReadFromPostgresPercent == 0);

    /// <summary>Queues the shadow comparison. A method of its own, so that the closure is only allocated for sampled reads.</summary>
    private void ShadowRead<TStore, TArg, T>(TStore other, EntityKey key, Task<T> task, TArg arg, Func<TStore, TArg, CancellationToken, Task<T>> read)
        => Shadow(key, task, token => read(other, arg, token));

    /// <summary>A read without a key: routed per call (<see cref="RouteKeyless"/>), counted and measured.</summary>
    internal Task<T> ReadKeyless<TStore, TArg, T>(
        StorePair<TStore> stores, string operation, TArg arg, Func<TStore, TArg, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where TStore : class
        => Read(stores, RouteKeyless(), operation, arg, read, Telemetry.Start(), cancellationToken, out _);

    /// <summary>The backend a stream without a key is read from (routed per call, counted).</summary>
    internal TStore StreamStore<TStore>(StorePair<TStore> stores)
        where TStore : class
    {
        var role = AvoidOpenBreaker(RouteKeyless());
        Telemetry.Read(role);
        return stores.Get(role);
    }

    /// <summary>
    /// While the source is authoritative, a read the target cannot serve is served by the source: an open breaker
    /// sends it there at once; a failure or timeout of the target (through the pipeline) falls back to it. A read that
    /// ignores cancellation is abandoned at the timeout (writes are not: they hold their key's lock until they end).
    /// </summary>
    private Task<T> Read<TStore, TArg, T>(
        StorePair<TStore> stores,
        BackendRole routed,
        string operation,
        TArg arg,
        Func<TStore, TArg, CancellationToken, Task<T>> read,
        long start,
        CancellationToken cancellationToken,
        out BackendRole role)
        where TStore : class
    {
        role = AvoidOpenBreaker(routed);
        Telemetry.Read(role);
        if (role == BackendRole.Target && Flags.Current.Authoritative == BackendRole.Source)
        {
            return ReadTargetOrFallBack(stores, operation, arg, read, start, cancellationToken);
        }

        return Measure(read(stores.Get(role), arg, cancellationToken), role, operation, start);
    }

    private BackendRole AvoidOpenBreaker(BackendRole role)
        => role == BackendRole.Target
            && Flags.Current.Authoritative == BackendRole.Source
            && BreakerState is CircuitState.Open or CircuitState.Isolated
                ? BackendRole.Source
                : role;

    /// <summary>
    /// A read of the target through the read pipeline (breaker; timeout, which also cancels the query), falling back to
    /// the source on a failure. When the pipeline finishes synchronously with a success, the target's own finished task
    /// is returned: no allocation is added. Otherwise <see cref="AwaitTargetOrFallBackAsync"/> waits for it.
    /// </summary>
    private Task<T> ReadTargetOrFallBack<TStore, TArg, T>(
        StorePair<TStore> stores, string operation, TArg arg, Func<TStore, TArg, CancellationToken, Task<T>> read, long start, CancellationToken cancellationToken)
        where TStore : class
    {
        var guarded = ReadPipeline.ExecuteAsync(
            static (state, token) => TargetAttempt(state.read, state.Target, state.arg, token),
            (read, stores.Target, arg),
            cancellationToken);
        if (guarded.IsCompletedSuccessfully)
        {
            Telemetry.Elapsed(BackendRole.Target, operation, start);
            return guarded.Result;
        }

        return AwaitTargetOrFallBackAsync(guarded, stores, operation, arg, read, start, cancellationToken);
    }

    /// <summary>
    /// One attempt inside the pipeline. Its result is the target's task itself, finished with a success (a failure is
    /// thrown, so that the retry and the breaker see it); a read that ignores cancellation is abandoned at the timeout.
    /// </summary>
    private static ValueTask<Task<T>> TargetAttempt<TStore, TArg, T>(Func<TStore, TArg, CancellationToken, Task<T>> read, TStore target, TArg arg, CancellationToken token)
    {
        var task = read(target, arg, token);
        return task.IsCompletedSuccessfully ? new ValueTask<Task<T>>(task) : AwaitAttemptAsync(task, token);
    }

    private static async ValueTask<Task<T>> AwaitAttemptAsync<T>(Task<T> task, CancellationToken token)
    {
        await task.WaitAsync(token);
        return task;
    }

    private async Task<T> AwaitTargetOrFallBackAsync<TStore, TArg, T>(
        ValueTask<Task<T>> guarded,
        StorePair<TStore> stores,
        string operation,
        TArg arg,
        Func<TStore, TArg, CancellationToken, Task<T>> read,
        long start,
        CancellationToken cancellationToken)
        where TStore : class
    {
        try
        {
            var answered = await guarded;
            Telemetry.Elapsed(BackendRole.Target, operation, start);
            return await answered;
        }
        catch (Exception ex) when (ex is not StorageException && !cancellationToken.IsCancellationRequested)
        {
            Telemetry.Read(BackendRole.Source);
            Telemetry.Write(BackendRole.Target, "read_fallback");
            start = Telemetry.Start();
            var result = await read(stores.Source, arg, cancellationToken);
            Telemetry.Elapsed(BackendRole.Source, operation, start);
            return result;
        }
    }

    /// <summary>Records the read's duration; adds no allocation when the backend answered synchronously.</summary>
    private Task<T> Measure<T>(Task<T> task, BackendRole role, string operation, long start)
    {
        if (task.IsCompleted)
        {
            Telemetry.Elapsed(role, operation, start);
            return task;
        }

        return AwaitMeasured(task, role, operation, start);
    }

    private async Task<T> AwaitMeasured<T>(Task<T> task, BackendRole role, string operation, long start)
    {
        try
        {
            return await task;
        }
        finally
        {
            Telemetry.Elapsed(role, operation, start);
        }
    }
}
