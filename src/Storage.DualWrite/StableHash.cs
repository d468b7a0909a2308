namespace Storage.DualWrite;

/// <summary>FNV-1a (32 bits) over a key's kind, parts and id, with a final avalanche mix. Stable across processes and runs.</summary>
internal static class StableHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static uint Of(EntityKind kind, string first, string second, string third, string fourth, Guid id)
    {
        var hash = OffsetBasis;
        hash = Add(hash, (byte)kind);
        hash = Add(hash, first);
        hash = Add(hash, second);
        hash = Add(hash, third);
        hash = Add(hash, fourth);
        if (id != Guid.Empty)
        {
            Span<byte> bytes = stackalloc byte[16];
            id.TryWriteBytes(bytes, bigEndian: true, out _);
            foreach (var b in bytes)
            {
                hash = Add(hash, b);
            }
        }

        return Mix(hash);
    }

    private static uint Add(uint hash, byte value) => (hash ^ value) * Prime;

    private static uint Add(uint hash, string text)
    {
        foreach (var c in text)
        {
            hash = Add(hash, (byte)c);
            hash = Add(hash, (byte)(c >> 8));
        }

        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        return Add(Add(hash, 0xFF), 0xFF);
    }

    /// <summary>The final mix of MurmurHash3, so that the low bits (used for buckets and stripes) depend on every input bit.</summary>
    private static uint Mix(uint hash)
    {
        hash ^= hash >> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35;
        hash ^= hash >> 16;
        return hash;
    }
}
