using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Storage.Consistency.Tests.Support;

namespace Storage.Consistency.Tests;

public sealed class ConsistencyCheckServiceTests
{
    [Theory]
    [InlineData("Interval", "00:00:00")]
    [InlineData("BatchSize", "0")]
    [InlineData("RecheckDelay", "02:00:00")]
    [InlineData("InitialDelay", "-00:00:01")]
    [InlineData("RecheckLimit", "0")]
    public async Task Host_refuses_to_start_with_invalid_options(string setting, string value)
    {
        using var host = Build(new DataSet(), new DataSet(), o => typeof(ConsistencyCheckServiceOptions).GetProperty(setting)!.SetValue(
            o, setting.Contains("Delay", StringComparison.Ordinal) || setting == "Interval" ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"Storage:ConsistencyCheck:{setting}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduled_check_publishes_metrics_and_logs_and_hands_differing_keys_to_the_sink()
    {
        var gen = new DataGen(31);
        var data = gen.NewDataSet(5);
        var target = data.Copy();
        target.Tasks.RemoveAt(0);
        target.Projects[0] = target.Projects[0] with { Version = "drifted" };
        var sink = new CollectingSink();
        var logs = new ListLoggerProvider();
        using var metrics = new MetricsRecorder(ConsistencyTelemetry.MeterName);
        using var host = Build(data, target, o => o.RecheckDelay = TimeSpan.Zero, sink, logs);

        await host.StartAsync();
        var service = host.Services.GetRequiredService<ConsistencyCheckService>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (service.LastReport is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await host.StopAsync();

        var report = Assert.IsType<ConsistencyReport>(service.LastReport);
        Assert.Equal(2, report.Differences);
        Assert.Equal(
            [$"agent_task {data.Tasks[0].Id} missing", $"project {data.Projects[0].Key} different [version]"],
            Oracle.Lines(sink.Drifts).Order(StringComparer.Ordinal));
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.Runs && m.Tags.Contains("outcome=drift"));
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.DriftFound && m.Value == 1 && m.Tags.Contains("kind=agent_task") && m.Tags.Contains("category=missing_in_target"));
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.RecordsCompared && m.Tags.Contains("kind=project") && m.Value == data.Projects.Count);
        metrics.Observe();
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.Differences && m.Value == 1 && m.Tags.Contains("kind=project") && m.Tags.Contains("category=different"));
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.RunDuration);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.EventId == 3 && e.Message.Contains("2 differences", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId == 4 && e.Message.Contains("version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_check_is_logged_and_counted_and_the_job_goes_on()
    {
        var logs = new ListLoggerProvider();
        using var metrics = new MetricsRecorder(ConsistencyTelemetry.MeterName);
        using var host = Build(new DataSet(), new DataSet(), o => o.RecheckDelay = TimeSpan.Zero, new FailingSink(), logs, failTarget: true);

        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!logs.Entries.Any(e => e.EventId == 5) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await host.StopAsync();

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.EventId == 5);
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.Runs && m.Tags.Contains("outcome=failed"));
    }

    [Fact]
    public async Task A_sink_that_fails_leaves_the_check_published_and_fails_the_run()
    {
        var data = new DataGen(32).NewDataSet(5);
        var target = data.Copy();
        target.Tasks.RemoveAt(0);
        target.Projects[0] = target.Projects[0] with { Version = "drifted" };
        var logs = new ListLoggerProvider();
        using var metrics = new MetricsRecorder(ConsistencyTelemetry.MeterName);
        using var host = Build(data, target, o => o.RecheckDelay = TimeSpan.Zero, new FailingSink(), logs);
        var service = host.Services.GetRequiredService<ConsistencyCheckService>();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => service.RunOnceAsync());

        Assert.Equal("sink down", failure.Message);
        Assert.Equal(2, Assert.IsType<ConsistencyReport>(service.LastReport).Differences);
        Assert.Contains(logs.Entries, e => e.EventId == 3 && e.Message.Contains("2 differences", StringComparison.Ordinal));
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.EventId == 8);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Error && e.EventId == 5);
        Assert.Single(metrics.Values, m => m.Name == ConsistencyTelemetry.Runs);
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.Runs && m.Tags.Contains("outcome=failed"));
        metrics.Observe();
        Assert.Contains(metrics.Values, m => m.Name == ConsistencyTelemetry.Differences && m.Value == 1 && m.Tags.Contains("kind=agent_task") && m.Tags.Contains("category=missing_in_target"));
    }

    [Fact]
    public async Task A_check_running_when_the_service_is_disposed_still_ends_with_its_report()
    {
        var data = new DataGen(33).NewDataSet(3);
        var target = data.Copy();
        target.Tasks.RemoveAt(0);
        var sink = new BlockingSink();
        using var host = Build(data, target, o => o.RecheckDelay = TimeSpan.Zero, sink);
        var service = host.Services.GetRequiredService<ConsistencyCheckService>();

        var run = service.RunOnceAsync();
        await sink.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        service.Dispose();
        sink.Release.SetResult();

        Assert.Equal(1, (await run).Differences);
    }

    private static IHost Build(
        DataSet source, DataSet target, Action<ConsistencyCheckServiceOptions> configure, IDriftSink? sink = null, ListLoggerProvider? logs = null, bool failTarget = false)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();

        // Later than every record DataGen makes: a live-to-live check counts records stamped after its start as changed.
        builder.Services.AddSingleton<TimeProvider>(new ManualTimeProvider(Stores.Epoch.AddYears(10)));
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        if (sink is not null)
        {
            builder.Services.AddSingleton(sink);
        }

        builder.Services.AddConsistencyCheck(
            _ => Stores.LoadAsync(source, "source").GetAwaiter().GetResult(),
            _ => failTarget ? new LiveStoreSource(new Storage.InMemory.InMemoryGraphStore(TimeProvider.System, new SequentialIdGenerator()), new BrokenTasks(), "broken") : Stores.LoadAsync(target, "target").GetAwaiter().GetResult(),
            o =>
            {
                o.InitialDelay = TimeSpan.Zero;
                o.Interval = TimeSpan.FromSeconds(1);
                configure(o);
            });
        return builder.Build();
    }

    private sealed class FailingSink : IDriftSink
    {
        public ValueTask OnDriftAsync(IReadOnlyList<Drift> drifts, CancellationToken cancellationToken) => throw new InvalidOperationException("sink down");
    }

    /// <summary>A sink that holds the check at its first drift until released.</summary>
    private sealed class BlockingSink : IDriftSink
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask OnDriftAsync(IReadOnlyList<Drift> drifts, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task;
        }
    }

    /// <summary>A task store whose stream fails, as a store that went away would.</summary>
    private sealed class BrokenTasks : IAgentTaskStore
    {
        public Task<AgentTask> CreateTaskAsync(NewAgentTask task, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AgentTask?> GetTaskAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AgentTask> UpdateTaskAsync(string id, AgentTaskUpdate update, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AgentTask> ClaimTaskAsync(string id, string workerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AgentTaskPage> ListTasksAsync(AgentTaskQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<AgentTask>> ListAttentionTasksAsync(int limit = 50, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AgentTaskCounts> CountTasksByStatusAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<AgentTask> StreamTasksAsync(CancellationToken cancellationToken = default) => throw new IOException("the store went away");

        public Task<int> ImportTasksAsync(IReadOnlyCollection<AgentTask> tasks, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    /// <summary>Listens to one meter and keeps every measurement (name, value, tags as "k=v").</summary>
    private sealed class MetricsRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _lock = new();
        private readonly List<(string Name, double Value, string[] Tags)> _values = [];

        public MetricsRecorder(string meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i.Name, v, t));
            _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i.Name, v, t));
            _listener.Start();
        }

        public IReadOnlyList<(string Name, double Value, string[] Tags)> Values
        {
            get
            {
                lock (_lock)
                {
                    return [.. _values];
                }
            }
        }

        public void Observe() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();

        private void Add(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = tags.ToArray().Select(t => $"{t.Key}={t.Value}").ToArray();
            lock (_lock)
            {
                _values.Add((name, value, text));
            }
        }
    }
}
