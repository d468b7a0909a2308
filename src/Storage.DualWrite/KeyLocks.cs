namespace Storage.DualWrite;

/// <summary>
/// A striped async lock: <see cref="StripeCount"/> semaphores, one chosen by each key's stable hash. A write holds
/// the stripes of its keys across both backends, so writes to one key reach both in the same order. Several stripes
/// are always taken in ascending order, so two holders never wait on each other in a cycle. Not reentrant.
/// </summary>
internal sealed class KeyLocks : IDisposable
{
    /// <summary>The number of stripes: <value>1024</value>.</summary>
    public const int StripeCount = 1024;

    private readonly SemaphoreSlim[] _stripes = CreateStripes();

    /// <summary>The stripe of a key: the hash's top 10 bits (the bucket uses the low ones).</summary>
    public static int StripeOf(in EntityKey key) => (int)(key.Hash >> 22);

    public async ValueTask<Held> AcquireAsync(EntityKey key, CancellationToken cancellationToken)
    {
        var stripe = StripeOf(key);
        await _stripes[stripe].WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(this, [stripe]);
    }

    public ValueTask<Held> AcquireAsync(EntityKey first, EntityKey second, CancellationToken cancellationToken)
        => AcquireManyAsync([StripeOf(first), StripeOf(second)], cancellationToken);

    public ValueTask<Held> AcquireAsync(IEnumerable<EntityKey> keys, CancellationToken cancellationToken)
        => AcquireManyAsync([.. keys.Select(k => StripeOf(k))], cancellationToken);

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    private static SemaphoreSlim[] CreateStripes()
    {
        var stripes = new SemaphoreSlim[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new SemaphoreSlim(1, 1);
        }

        return stripes;
    }

    private async ValueTask<Held> AcquireManyAsync(int[] stripes, CancellationToken cancellationToken)
    {
        Array.Sort(stripes);
        var distinct = stripes.Distinct().ToArray();
        var taken = 0;
        try
        {
            for (; taken < distinct.Length; taken++)
            {
                await _stripes[distinct[taken]].WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            for (var i = taken - 1; i >= 0; i--)
            {
                _stripes[distinct[i]].Release();
            }

            throw;
        }

        return new Held(this, distinct);
    }

    /// <summary>Stripes held; disposing releases them (once).</summary>
    public readonly struct Held(KeyLocks owner, int[] stripes) : IDisposable
    {
        /// <summary>True for the default value, which holds nothing.</summary>
        public bool IsEmpty => owner is null;

        /// <summary>True when the stripe of <paramref name="key"/> is among those held.</summary>
        public bool Covers(in EntityKey key) => stripes is not null && Array.IndexOf(stripes, StripeOf(key)) >= 0;

        public void Dispose()
        {
            if (owner is null)
            {
                return;
            }

            for (var i = stripes.Length - 1; i >= 0; i--)
            {
                owner._stripes[stripes[i]].Release();
            }
        }
    }
}
