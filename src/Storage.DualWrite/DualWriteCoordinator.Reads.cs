using System.Diagnostics;
using Polly.CircuitBreaker;

namespace Storage.DualWrite;

public sealed partial class DualWriteCoordinator
{
    /// <summary>
    /// A keyed read: routed by the key (<see cref="RouteKeyed"/>), counted, measured, and, when sampled, compared with
    /// the other backend off the caller's path. Adds no allocation when the chosen backend answers synchronously and
    /// no fallback is possible.
    /// </summary>
    internal Task<T> ReadKeyed<TStore, TArg, T>(
        StorePair<TStore> stores, in EntityKey key, string operation, TArg arg, Func<TStore, TArg, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where TStore : class
    {
        var start = Telemetry.Start();
        var task = Read(stores, RouteKeyed(key), operation, arg, read, start, cancellationToken, out var role);
        if (ShouldShadow())
        {
            ShadowRead(stores.Other(role), key, task, arg, read);
        }

        return task;
    }

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
            return ReadTargetOrFallBackAsync(stores, operation, arg, read, start, cancellationToken);
        }

        return Measure(read(stores.Get(role), arg, cancellationToken), role, operation, start);
    }

    private BackendRole AvoidOpenBreaker(BackendRole role)
        => role == BackendRole.Target
            && Flags.Current.Authoritative == BackendRole.Source
            && BreakerState is CircuitState.Open or CircuitState.Isolated
                ? BackendRole.Source
                : role;

    private async Task<T> ReadTargetOrFallBackAsync<TStore, TArg, T>(
        StorePair<TStore> stores, string operation, TArg arg, Func<TStore, TArg, CancellationToken, Task<T>> read, long start, CancellationToken cancellationToken)
        where TStore : class
    {
        try
        {
            var result = await Pipeline.ExecuteAsync(
                static async (state, token) => await state.read(state.Target, state.arg, token).WaitAsync(token),
                (read, stores.Target, arg),
                cancellationToken);
            Telemetry.Elapsed(BackendRole.Target, operation, start);
            return result;
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
