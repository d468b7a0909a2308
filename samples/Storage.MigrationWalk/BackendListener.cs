using System.Diagnostics.Metrics;
using Storage.DualWrite;

namespace Storage.MigrationWalk;

/// <summary>
/// Listens to the host's dual-write meter (the same instruments an operator's dashboard reads) and credits each
/// backend call and each routed read to the phase in force.
/// </summary>
public sealed class BackendListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Func<PhaseRecorder?> _current;

    /// <summary>Starts listening; <paramref name="current"/> names the recorder of the phase in force.</summary>
    public BackendListener(Func<PhaseRecorder?> current)
    {
        _current = current;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DualWriteTelemetry.Name && instrument.Name is DualWriteTelemetry.Duration or DualWriteTelemetry.Reads)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDuration);
        _listener.SetMeasurementEventCallback<long>(OnRead);
        _listener.Start();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static bool IsTarget(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == DualWriteTelemetry.BackendTag)
            {
                return tag.Value is string backend && backend == DualWriteTelemetry.BackendName(BackendRole.Target);
            }
        }

        return false;
    }

    private void OnDuration(Instrument instrument, double milliseconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        => _current()?.Backend(IsTarget(tags), milliseconds);

    private void OnRead(Instrument instrument, long count, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == DualWriteTelemetry.Reads)
        {
            _current()?.Read(IsTarget(tags), count);
        }
    }
}
