using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Storage.MigrationWalk;

/// <summary>
/// A mixed read/write workload offered to the host at a fixed rate of HTTP requests (open loop: a slow answer does
/// not slow the offered rate, up to <see cref="MaxInFlight"/> operations in flight).
/// </summary>
public sealed class Workload : IDisposable
{
    /// <summary>Most operations in flight at once; past it, the offered rate is not met (and the shortfall shows in the achieved rate).</summary>
    public const int MaxInFlight = 512;

    private static readonly (int Weight, Func<Workload, CancellationToken, Task> Run, int Requests)[] Mix = BuildMix();
    private static readonly int TotalWeight = Mix.Sum(m => m.Weight);
    private static readonly double RequestsPerOperation = Mix.Sum(m => (double)m.Weight * m.Requests) / TotalWeight;

    private readonly HostClient _client;
    private readonly WalkCatalog _catalog;
    private readonly Func<PhaseRecorder> _current;
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private long _versions;
    private long _created;

    /// <summary>Creates a workload over <paramref name="client"/>.</summary>
    public Workload(HostClient client, WalkCatalog catalog, Func<PhaseRecorder> current)
    {
        _client = client;
        _catalog = catalog;
        _current = current;
    }

    /// <inheritdoc />
    public void Dispose() => _inFlight.Dispose();

    /// <summary>Offers <paramref name="rate"/> requests per second until <paramref name="cancellationToken"/> fires, then waits for those in flight.</summary>
    public async Task RunAsync(int rate, CancellationToken cancellationToken)
    {
        var operationsPerSecond = rate / RequestsPerOperation;
        var credit = 0.0;
        var last = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                credit = Math.Min(credit + (operationsPerSecond * (now - last) / Stopwatch.Frequency), operationsPerSecond);
                last = now;
                while (credit >= 1 && _inFlight.Wait(0, CancellationToken.None))
                {
                    credit--;
                    _ = RunOneAsync(cancellationToken);
                }

                credit = Math.Min(credit, MaxInFlight);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The walk ended the workload.
        }

        // Every operation holds a slot until it ends: taking all of them back waits for those still in flight.
        for (var slot = 0; slot < MaxInFlight; slot++)
        {
            await _inFlight.WaitAsync(CancellationToken.None);
        }

        _inFlight.Release(MaxInFlight);
    }

    private async Task RunOneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pick = Random.Shared.Next(TotalWeight);
            foreach (var (weight, run, _) in Mix)
            {
                if (pick < weight)
                {
                    await run(this, cancellationToken);
                    return;
                }

                pick -= weight;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cut off by the end of the walk: not an error of the host.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An answer the workload could not use (a body that is not the record it should be): counted, never lost.
            _current().Failure($"unusable answer: {ex.GetType().Name}");
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private static (int, Func<Workload, CancellationToken, Task>, int)[] BuildMix() =>
    [
        (25, (w, ct) => w.GetProjectAsync(ct), 1),
        (8, (w, ct) => w.ProjectListAsync("dependencies", ct), 1),
        (4, (w, ct) => w.ProjectListAsync("dependents", ct), 1),
        (4, (w, ct) => w.SearchAsync(ct), 1),
        (12, (w, ct) => w.GetTaskAsync(ct), 1),
        (4, (w, ct) => w.ListTasksAsync(ct), 1),
        (2, (w, ct) => w.GetAsync("counts", "/tasks/counts", ct), 1),
        (2, (w, ct) => w.GetAsync("attention", "/tasks/attention?limit=20", ct), 1),
        (3, (w, ct) => w.GetAsync("contributor", $"/contributors/{Pick(w._catalog.Contributors)}", ct), 1),
        (3, (w, ct) => w.GetAsync("asset", $"/assets/{Pick(w._catalog.Assets)}", ct), 1),
        (3, (w, ct) => w.GetAsync("contribution", $"/contributions/{Pick(w._catalog.Contributions)}", ct), 1),
        (12, (w, ct) => w.UpsertAndReadBackAsync(ct), 2),
        (5, (w, ct) => w.CreateTaskAsync(ct), 1),
        (5, (w, ct) => w.PatchTaskAsync(ct), 1),
        (2, (w, ct) => w.CreateContributionAsync(ct), 1),
        (2, (w, ct) => w.AddDependencyAsync(ct), 1),
        (4, (w, ct) => w.ClaimRaceAsync(ct), 7),
    ];

    private static string PathOf(ProjectKey key) => $"/projects/{Uri.EscapeDataString(key.Ecosystem)}/{Uri.EscapeDataString(key.Name)}";

    private static string Pick(IReadOnlyList<Guid> ids) => ids[Random.Shared.Next(ids.Count)].ToString("D", CultureInfo.InvariantCulture);

    private ProjectKey AnyProject() => _catalog.Projects[Random.Shared.Next(_catalog.Projects.Count)];

    private Task<HostClient.Answer?> GetAsync(string operation, string path, CancellationToken cancellationToken)
        => _client.SendAsync(operation, HttpMethod.Get, path, null, cancellationToken, HttpStatusCode.OK);

    private Task<HostClient.Answer?> GetProjectAsync(CancellationToken cancellationToken) => GetAsync("get project", PathOf(AnyProject()), cancellationToken);

    private Task<HostClient.Answer?> ProjectListAsync(string list, CancellationToken cancellationToken) => GetAsync(list, $"{PathOf(AnyProject())}/{list}", cancellationToken);

    private Task<HostClient.Answer?> SearchAsync(CancellationToken cancellationToken)
        => GetAsync("search", $"/projects/search?q={DataSetGenerator.Words[Random.Shared.Next(DataSetGenerator.Words.Count)]}&limit=20", cancellationToken);

    private Task<HostClient.Answer?> GetTaskAsync(CancellationToken cancellationToken) => GetAsync("get task", $"/tasks/{_catalog.AnyTask(Random.Shared)}", cancellationToken);

    private Task<HostClient.Answer?> ListTasksAsync(CancellationToken cancellationToken)
        => GetAsync("list tasks", $"/tasks?status={(AgentTaskStatus)Random.Shared.Next(5)}&limit=20", cancellationToken);

    private string NextVersion() => string.Create(CultureInfo.InvariantCulture, $"2.{Interlocked.Increment(ref _versions)}.0");

    /// <summary>Writes a project no other request is writing, then reads it back: the read must return this write.</summary>
    private async Task UpsertAndReadBackAsync(CancellationToken cancellationToken)
    {
        var key = _catalog.TakeProject(Random.Shared);
        try
        {
            var version = NextVersion();
            var upsert = new ProjectUpsert(key.Ecosystem, key.Name) { Version = version, Description = DataSetGenerator.Describe(Random.Shared) };
            if (await _client.SendAsync("upsert project", HttpMethod.Put, PathOf(key), upsert, cancellationToken, HttpStatusCode.OK) is null)
            {
                return;
            }

            var read = await _client.SendAsync("get project", HttpMethod.Get, PathOf(key), null, cancellationToken, HttpStatusCode.OK);
            if (read is not null && read.Read<Project>().Version != version)
            {
                _current().StaleRead();
            }
        }
        finally
        {
            _catalog.Release(key);
        }
    }

    private async Task CreateTaskAsync(CancellationToken cancellationToken)
    {
        var task = new NewAgentTask(DataSetGenerator.Describe(Random.Shared), (AgentTaskType)Random.Shared.Next(5)) { Model = "model-b" };
        if (await _client.SendAsync("create task", HttpMethod.Post, "/tasks", task, cancellationToken, HttpStatusCode.Created) is { } created)
        {
            _catalog.AddTask(created.Read<AgentTask>().Id);
        }
    }

    private Task<HostClient.Answer?> PatchTaskAsync(CancellationToken cancellationToken)
        => _client.SendAsync(
            "patch task",
            HttpMethod.Patch,
            $"/tasks/{_catalog.AnyTask(Random.Shared)}",
            new AgentTaskUpdate { Progress = Random.Shared.Next(101), CurrentStep = $"step {Random.Shared.Next(10)}" },
            cancellationToken,
            HttpStatusCode.OK);

    private Task<HostClient.Answer?> CreateContributionAsync(CancellationToken cancellationToken)
        => _client.SendAsync(
            "create contribution",
            HttpMethod.Post,
            "/contributions",
            new NewContribution(
                _catalog.Contributors[Random.Shared.Next(_catalog.Contributors.Count)],
                _catalog.Assets[Random.Shared.Next(_catalog.Assets.Count)],
                DataSetGenerator.Money(Random.Shared),
                DataSetGenerator.Score(Random.Shared)),
            cancellationToken,
            HttpStatusCode.Created);

    private Task<HostClient.Answer?> AddDependencyAsync(CancellationToken cancellationToken)
    {
        var from = AnyProject();
        var to = AnyProject();
        return from == to
            ? GetProjectAsync(cancellationToken)
            : _client.SendAsync("add dependency", HttpMethod.Put, $"{PathOf(from)}/dependencies/{Uri.EscapeDataString(to.Ecosystem)}/{Uri.EscapeDataString(to.Name)}", null, cancellationToken, HttpStatusCode.OK);
    }

    /// <summary>
    /// The agent runners' load: a new task, three workers claiming it at once (exactly one may win, the others get 409),
    /// then the winner's two updates; a read must return the last of them.
    /// </summary>
    private async Task ClaimRaceAsync(CancellationToken cancellationToken)
    {
        var created = await _client.SendAsync(
            "create task", HttpMethod.Post, "/tasks", new NewAgentTask("claim race", AgentTaskType.Impl) { Model = "runner" }, cancellationToken, HttpStatusCode.Created);
        if (created is null)
        {
            return;
        }

        var id = created.Read<AgentTask>().Id;
        var claims = await Task.WhenAll(Enumerable.Range(0, 3).Select(worker => _client.SendAsync(
            "claim task", HttpMethod.Post, $"/tasks/{id}/claim", new ClaimRequest($"runner-{worker}"), cancellationToken, HttpStatusCode.OK, HttpStatusCode.Conflict)));
        if (claims.Any(c => c is null))
        {
            return;
        }

        var winners = claims.Count(c => c!.Status == HttpStatusCode.OK);
        var output = $"done {Interlocked.Increment(ref _created)}";
        var first = await _client.SendAsync("patch task", HttpMethod.Patch, $"/tasks/{id}", new AgentTaskUpdate { Progress = 50, CurrentStep = "half" }, cancellationToken, HttpStatusCode.OK);
        var last = await _client.SendAsync(
            "patch task", HttpMethod.Patch, $"/tasks/{id}", new AgentTaskUpdate { Status = AgentTaskStatus.Completed, Progress = 100, Output = output }, cancellationToken, HttpStatusCode.OK);
        var read = await _client.SendAsync("get task", HttpMethod.Get, $"/tasks/{id}", null, cancellationToken, HttpStatusCode.OK);
        if (first is null || last is null || read is null)
        {
            return;
        }

        var task = read.Read<AgentTask>();
        _current().ClaimRace(winners, task.Status == AgentTaskStatus.Completed && task.Progress == 100 && task.Output == output && task.ClaimedBy is not null);
        _catalog.AddTask(id);
    }

    /// <summary>The body of a claim.</summary>
    private sealed record ClaimRequest(string WorkerId);
}
