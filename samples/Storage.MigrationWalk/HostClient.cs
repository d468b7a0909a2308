using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Storage.SampleHost;

namespace Storage.MigrationWalk;

/// <summary>The workload's HTTP calls to the sample host; each is timed and credited to the phase in force.</summary>
public sealed class HostClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = SampleHost.SampleHost.JsonOptions;
    private readonly HttpClient _http;
    private readonly long _walkStart;
    private readonly Func<PhaseRecorder> _current;

    /// <summary>Creates a client of the host at <paramref name="baseAddress"/>.</summary>
    public HostClient(Uri baseAddress, long walkStart, Func<PhaseRecorder> current)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _walkStart = walkStart;
        _current = current;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Sends a request and returns its answer when its status is one of <paramref name="expected"/>; otherwise records an error and returns null.</summary>
    public async Task<Answer?> SendAsync(string operation, HttpMethod method, string path, object? body, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        var recorder = _current();
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: Json);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            var content = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (Array.IndexOf(expected, response.StatusCode) < 0)
            {
                recorder.Error(string.Create(CultureInfo.InvariantCulture, $"{operation}: {(int)response.StatusCode}"), elapsed, Second(started));
                return null;
            }

            recorder.Request(elapsed, Second(started));
            return new Answer(response.StatusCode, content);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            recorder.Error($"{operation}: {ex.GetType().Name}", Stopwatch.GetElapsedTime(started).TotalMilliseconds, Second(started));
            return null;
        }
    }

    private double Second(long timestamp) => (double)(timestamp - _walkStart) / Stopwatch.Frequency;

    /// <summary>An expected answer: its status and body.</summary>
    public sealed record Answer(HttpStatusCode Status, string Body)
    {
        /// <summary>The body as <typeparamref name="T"/>.</summary>
        public T Read<T>() => JsonSerializer.Deserialize<T>(Body, Json) ?? throw new InvalidOperationException($"The host answered {Status} with an empty body.");
    }
}
