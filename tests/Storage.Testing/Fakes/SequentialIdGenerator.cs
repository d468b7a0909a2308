namespace Storage.Testing;

/// <summary>Deterministic ids: the same seed yields the same sequence, so two backends fed the same calls get the same ids. Thread-safe.</summary>
public sealed class SequentialIdGenerator(int seed = 1) : IStorageIdGenerator
{
    private long _next = (long)seed << 32;

    public Guid NewId()
    {
        var n = Interlocked.Increment(ref _next);
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes[8..], n);
        bytes[6] = 0x40; // version 4 nibble, so the value looks like a real UUID
        bytes[0] = (byte)(n * 37);
        return new Guid(bytes, bigEndian: true);
    }
}
