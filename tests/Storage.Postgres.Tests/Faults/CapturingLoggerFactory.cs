using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Storage.Postgres.Tests.Faults;

/// <summary>Keeps every log entry of every logger it creates (message and exception text), to check what is logged.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>A logger writing to this factory's entries under <paramref name="categoryName"/>.</summary>
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>The retries <see cref="PostgresResilience"/> logged.</summary>
    public IReadOnlyList<LogEntry> Retries => [.. _entries.Where(e => e.Event == "LogRetry")];

    public sealed record LogEntry(string Category, LogLevel Level, string? Event, string Message, string? Exception)
    {
        /// <summary>Everything the entry would put in a log: category, message and the exception with its inner ones.</summary>
        public string Text => $"{Category} {Level} {Message} {Exception}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Enqueue(new LogEntry(category, logLevel, eventId.Name, formatter(state, exception), exception?.ToString()));
    }
}
