using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Storage.DualWrite;

/// <summary>
/// The current, validated <see cref="MigrationFlags"/>. Reading <see cref="Current"/> is one volatile read, so
/// routing costs nothing per call; the flags change only when configuration reloads (or <see cref="Set"/> is called).
/// An invalid value at reload is refused: the last good flags stay and an error is logged.
/// </summary>
/// <remarks>Thread safety: all members are safe for concurrent use.</remarks>
public sealed class MigrationFlagsMonitor : IDisposable
{
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private readonly Lock _lock = new();
    private volatile MigrationFlags _current;

    /// <summary>Flags fixed at <paramref name="initial"/>, changed only by <see cref="Set"/>.</summary>
    /// <exception cref="ArgumentException">The flags are not valid.</exception>
    public MigrationFlagsMonitor(MigrationFlags initial, ILogger<MigrationFlagsMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        if (initial.FindProblem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(initial));
        }

        _current = initial;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    private MigrationFlagsMonitor(IConfiguration configuration, MigrationFlags initial, ILogger logger)
    {
        _current = initial;
        _logger = logger;
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => Reload(configuration));
    }

    /// <summary>Raised after the flags changed, with the new flags. Handlers must be quick and must not throw.</summary>
    public event Action<MigrationFlags>? Changed;

    /// <summary>The flags in force.</summary>
    public MigrationFlags Current => _current;

    /// <summary>Reads the flags from configuration and follows its reloads.</summary>
    /// <exception cref="MigrationFlagsException">The configuration holds an invalid value (start-up must fail).</exception>
    public static MigrationFlagsMonitor FromConfiguration(IConfiguration configuration, ILogger<MigrationFlagsMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var initial = MigrationFlagsReader.Read(configuration);
        return new MigrationFlagsMonitor(configuration, initial, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Replaces the flags (for hosts that drive them by other means than configuration).</summary>
    /// <exception cref="ArgumentException">The flags are not valid; the current ones stay.</exception>
    public void Set(MigrationFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        if (flags.FindProblem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(flags));
        }

        Apply(flags);
    }

    /// <inheritdoc/>
    public void Dispose() => _subscription?.Dispose();

    private void Reload(IConfiguration configuration)
    {
        MigrationFlags flags;
        try
        {
            flags = MigrationFlagsReader.Read(configuration);
        }
        catch (MigrationFlagsException ex)
        {
            DualWriteLog.InvalidFlagsAtReload(_logger, ex.Message, _current.Phase, _current.ReadFromPostgresPercent);
            return;
        }

        Apply(flags);
    }

    private void Apply(MigrationFlags flags)
    {
        MigrationFlags previous;
        lock (_lock)
        {
            previous = _current;
            if (previous == flags)
            {
                return;
            }

            _current = flags;
        }

        DualWriteLog.FlagsChanged(_logger, previous.Phase, previous.ReadFromPostgresPercent, flags.Phase, flags.ReadFromPostgresPercent);
        Changed?.Invoke(flags);
    }
}
