using System.Diagnostics;
using Storage.Consistency.Tests.Support;

namespace Storage.Consistency.Tests;

/// <summary>The built tool run as a process (<c>dotnet ConsistencyChecker.dll ...</c>), as an operator or a scheduler runs it.</summary>
[RequiresPostgres]
public sealed class CheckerProcessTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Exit_codes_0_1_2_3_and_json_on_stdout()
    {
        var gen = new DataGen(61);
        var data = gen.NewDataSet(10);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (same, _) = await database.LoadAsync(data);
        var drifted = data.Copy();
        DriftInjector.Apply(drifted, gen, new DriftOp(RecordKind.Contribution, DriftAction.Change, 1, 2));
        var (other, _) = await database.LoadAsync(drifted);
        var truncated = SnapshotFiles.Edit(snapshot, "t.jsonl", l => l.Take(l.Count - 1));
        var cs = database.ConnectionString;

        var consistent = await Cli.RunProcessAsync("check", "--source", snapshot, "--target", cs, "--target-schema", same, "--format", "json");
        var different = await Cli.RunProcessAsync("check", "--source", snapshot, "--target", cs, "--target-schema", other, "--format", "json");
        var bad = await Cli.RunProcessAsync("check", "--source", truncated, "--target", cs, "--target-schema", same);
        var unreachable = await Cli.RunProcessAsync("check", "--source", snapshot, "--target", "Host=127.0.0.1;Port=1;Username=x;Password=pw-secret;Timeout=5");
        var help = await Cli.RunProcessAsync("--help");

        Assert.True(consistent.ExitCode == 0, consistent.ToString());
        Assert.True(consistent.Json().GetProperty("consistent").GetBoolean());
        Assert.Equal(data.Count, consistent.Json().GetProperty("totals").GetProperty("compared").GetInt64());
        Assert.True(different.ExitCode == 1, different.ToString());
        var contributions = different.Json().GetProperty("kinds")[(int)RecordKind.Contribution];
        Assert.Equal(1, contributions.GetProperty("different").GetInt64());
        Assert.Equal(1, contributions.GetProperty("different_fields").GetProperty("cost_amount").GetInt64());
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("truncated", Assert.Single(bad.ErrorLines), StringComparison.Ordinal);
        Assert.True(unreachable.ExitCode == 3, unreachable.ToString());
        Assert.Single(unreachable.ErrorLines);
        Assert.DoesNotContain("pw-secret", unreachable.Error, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("130  cancelled", help.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_starting_with_at_is_a_file_not_a_response_file()
    {
        await SnapshotFiles.WriteAsync(new DataGen(63).NewDataSet(3), _folder.File("@s.jsonl"));

        var result = await Cli.RunProcessInAsync(_folder.Path, "check", "--source", "@s.jsonl", "--target", "@s.jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("snapshot @s.jsonl", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_standard_output_exits_2_and_says_it_was_standard_output()
    {
        var snapshot = await SnapshotFiles.WriteAsync(new DataGen(64).NewDataSet(3), _folder.File("s.jsonl"));
        var start = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec dotnet \"$@\" > /dev/full", "sh", Cli.AssemblyPath, "check", "--source", snapshot, "--target", snapshot })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var result = await Cli.WaitAsync(process, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: cannot write to standard output (", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_run_with_exit_code_130()
    {
        var data = new DataGen(62).NewDataSet(4);
        var target = data.Copy();
        target.Tasks.RemoveAt(0);
        var snapshot = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        var (schema, _) = await database.LoadAsync(target);

        using var process = Cli.Start("check", "--recheck", "600", "--source", snapshot, "--target", database.ConnectionString, "--target-schema", schema);
        await Task.Delay(TimeSpan.FromSeconds(10)); // started, connected, compared: waiting for the recheck
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var result = await Cli.WaitAsync(process, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.StartsWith("error: cancelled", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
