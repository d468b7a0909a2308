using Storage.MigrationWalk;

namespace Storage.MigrationWalk.Tests;

/// <summary>
/// The README's main command, short: a small data set, a few seconds per phase, PostgreSQL stopped in the dual-write
/// and 50 % read-shift phases — through every phase with zero failed requests and zero final differences.
/// </summary>
[RequiresPostgres]
public sealed class ShortWalkTests
{
    [Fact]
    public async Task A_short_walk_with_faults_serves_every_request_and_ends_with_equal_backends()
    {
        var output = Path.Combine(Path.GetTempPath(), $"walk-test-{Guid.NewGuid():N}");
        var log = new StringWriter();
        try
        {
            var walk = await Walk.RunAsync(
                new WalkOptions
                {
                    Projects = 1_000,
                    Rate = 150,
                    PhaseDuration = TimeSpan.FromSeconds(3),
                    Fault = true,
                    FaultDuration = TimeSpan.FromSeconds(2),
                    RecheckDelay = TimeSpan.FromSeconds(1),
                    WarmUp = TimeSpan.FromSeconds(1),
                    DrainTimeout = TimeSpan.FromSeconds(90),
                    OutputDirectory = output,
                },
                log,
                CancellationToken.None);

            var text = log.ToString();
            Assert.True(walk.Succeeded, text);
            Assert.Equal([.. WalkPhase.All.Select(p => p.Name)], walk.Phases.Select(p => p.Name));
            Assert.All(walk.Phases, p =>
            {
                Assert.True(p.Requests.Count > 0, $"{p.Name}: no request was served");
                Assert.Equal(0, p.Errors);
                Assert.Equal(0, p.StaleReads);
            });
            Assert.Equal(0, walk.FinalDifferences);
            Assert.True(walk.FinalCompared >= walk.Options.Size.Total, $"the final check compared {walk.FinalCompared} records, fewer than the {walk.Options.Size.Total} generated");
            Assert.True(walk.Phases.Sum(p => p.ClaimRaces) > 0, "no claim race ran");
            Assert.Equal(0, walk.Phases.Sum(p => p.DoubleClaims + p.LostUpdates));

            var phase = walk.Phases.ToDictionary(p => p.Name);
            Assert.Equal(0, phase["1 in-memory only"].ReadsFromPostgres);
            Assert.Equal(0, phase["2 dual write + backfill"].ReadsFromPostgres);
            Assert.True(phase["2 dual write + backfill"].Checks.Repaired > 0, "the backfill wrote nothing");
            Assert.NotNull(phase["2 dual write + backfill"].Checks.FaultWindow);
            Assert.NotNull(phase["3 read 50%"].Checks.FaultWindow);
            Assert.True(phase["3 read 100%"].PostgresReadShare > 0.9, $"at 100% only {phase["3 read 100%"].PostgresReadShare:P0} of reads came from PostgreSQL");
            Assert.Equal(0, phase["5 PostgreSQL only"].ReadsFromInMemory);

            var html = await File.ReadAllTextAsync(Path.Combine(output, "report.html"));
            Assert.Contains("<svg", html, StringComparison.Ordinal);
            Assert.Contains("3 read 50%", html, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(output, "report.json")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
