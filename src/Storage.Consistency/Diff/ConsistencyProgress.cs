namespace Storage.Consistency;

/// <summary>
/// How far a check has come, for a progress display. The engine updates it as it goes; readers may poll it from any
/// thread (values are read with volatile semantics and may lag by up to a thousand records).
/// </summary>
public sealed class ConsistencyProgress
{
    private long _recordsRead;
    private long _recordsWritten;
    private int _kind;
    private int _phase;

    /// <summary>Records read so far, from both sides together.</summary>
    public long RecordsRead => Volatile.Read(ref _recordsRead);

    /// <summary>Records a repair has written or deleted so far.</summary>
    public long RecordsWritten => Volatile.Read(ref _recordsWritten);

    /// <summary>The kind being compared.</summary>
    public RecordKind Kind => (RecordKind)Volatile.Read(ref _kind);

    /// <summary>The phase.</summary>
    public ConsistencyPhase Phase => (ConsistencyPhase)Volatile.Read(ref _phase);

    internal void AddRead(long records) => Interlocked.Add(ref _recordsRead, records);

    internal void AddWritten(long records) => Interlocked.Add(ref _recordsWritten, records);

    internal void Enter(ConsistencyPhase phase) => Volatile.Write(ref _phase, (int)phase);

    internal void Enter(RecordKind kind) => Volatile.Write(ref _kind, (int)kind);

    internal void ResetRead() => Volatile.Write(ref _recordsRead, 0);
}
