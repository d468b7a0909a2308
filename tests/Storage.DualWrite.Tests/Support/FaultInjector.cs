using System.Runtime.CompilerServices;

namespace Storage.DualWrite.Tests;

/// <summary>What an injected fault does to one call.</summary>
internal enum FaultKind
{
    None,

    /// <summary>Fails before the call reaches the store (nothing written).</summary>
    FailBefore,

    /// <summary>Fails after the store did the work (written, but the caller hears of a failure).</summary>
    FailAfter,

    /// <summary>Waits, then calls the store.</summary>
    Delay,
}

/// <summary>A fault for one call.</summary>
internal readonly record struct Fault(FaultKind Kind, int DelayMilliseconds = 0)
{
    public static Fault None => default;
}

/// <summary>The exception an injected fault throws: an infrastructure error, not a store answer.</summary>
internal sealed class InjectedFaultException(string message) : IOException(message);

/// <summary>Decides, per call, whether a wrapped store fails or is slow. Thread-safe.</summary>
internal sealed class FaultInjector
{
    private volatile bool _down;
    private int _injected;

    /// <summary>When true, every call fails before it reaches the store (a server that is down).</summary>
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>Chooses the fault of each call while not <see cref="Down"/>; no fault by default.</summary>
    public Func<Fault> Next { get; set; } = static () => Fault.None;

    /// <summary>How many calls were failed.</summary>
    public int Injected => Volatile.Read(ref _injected);

    public async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var fault = _down ? new Fault(FaultKind.FailBefore) : Next();
        switch (fault.Kind)
        {
            case FaultKind.FailBefore:
                Interlocked.Increment(ref _injected);
                throw new InjectedFaultException("injected: the store is unreachable");
            case FaultKind.FailAfter:
                await call();
                Interlocked.Increment(ref _injected);
                throw new InjectedFaultException("injected: the answer was lost");
            case FaultKind.Delay:
                await Task.Delay(fault.DelayMilliseconds, cancellationToken);
                return await call();
            default:
                return await call();
        }
    }

    public async IAsyncEnumerable<T> StreamAsync<T>(Func<IAsyncEnumerable<T>> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await RunAsync(() => Task.FromResult(0), cancellationToken);
        await foreach (var item in stream())
        {
            yield return item;
        }
    }
}
