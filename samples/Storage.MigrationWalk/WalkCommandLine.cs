using System.CommandLine;
using System.CommandLine.Help;

namespace Storage.MigrationWalk;

/// <summary>The walk's command line: options, and the exit codes 0 (the walk met its bar), 1 (it did not), 2 (bad arguments), 130 (cancelled).</summary>
public static class WalkCommandLine
{
    private const string Description = """
        Walks a live host through the whole migration: starts a throwaway PostgreSQL, starts the sample host on the
        in-memory backend with a generated data set, offers a mixed read/write HTTP workload, and steps through every
        phase (dual write + backfill, reads at 10%, 50%, 100%, PostgreSQL primary, PostgreSQL only, back to dual write)
        by rewriting the running host's flags file, with the consistency checker between phases. Prints a table per
        phase and writes report.html (with a latency chart) and report.json.

        Exit codes: 0 zero errors and zero final differences; 1 otherwise; 2 bad arguments; 130 cancelled.
        """;

    /// <summary>Parses <paramref name="args"/> and runs the walk.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var defaults = new WalkOptions();
        var projects = new Option<int>("--projects") { Description = "Projects in the data set (edges 3x, contributors and assets 0.1x, contributions 1x, tasks 0.5x).", DefaultValueFactory = _ => defaults.Projects };
        var rate = new Option<int>("--rate") { Description = "HTTP requests per second offered to the host.", DefaultValueFactory = _ => defaults.Rate };
        var phaseSeconds = new Option<double>("--phase-seconds") { Description = "Seconds of workload per phase.", DefaultValueFactory = _ => defaults.PhaseDuration.TotalSeconds };
        var fault = new Option<bool>("--fault") { Description = "Stop PostgreSQL during the dual-write phase and the 50% read-shift phase." };
        var faultSeconds = new Option<double>("--fault-seconds") { Description = "How long PostgreSQL stays stopped in each fault.", DefaultValueFactory = _ => defaults.FaultDuration.TotalSeconds };
        var outputFolder = new Option<string>("--output") { Description = "Folder for report.html, report.json, the data set, the journal and the host's log.", DefaultValueFactory = _ => defaults.OutputDirectory };
        var root = new RootCommand(Description) { projects, rate, phaseSeconds, fault, faultSeconds, outputFolder };
        root.SetAction(async (parse, token) =>
        {
            WalkOptions options;
            try
            {
                options = new WalkOptions
                {
                    Projects = parse.GetValue(projects),
                    Rate = parse.GetValue(rate),
                    PhaseDuration = Seconds(parse.GetValue(phaseSeconds), "--phase-seconds"),
                    Fault = parse.GetValue(fault),
                    FaultDuration = Seconds(parse.GetValue(faultSeconds), "--fault-seconds"),
                    OutputDirectory = parse.GetValue(outputFolder) ?? defaults.OutputDirectory,
                };
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}");
                return 2;
            }

            try
            {
                var result = await Walk.RunAsync(options, output, token);
                return result.Succeeded ? 0 : 1;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                await error.WriteLineAsync("cancelled");
                return 130;
            }
        });

        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            foreach (var problem in result.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message} (see --help)");
            }

            return 2;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static TimeSpan Seconds(double value, string option)
        => double.IsFinite(value) && value is > 0 and <= 86_400 ? TimeSpan.FromSeconds(value) : throw new ArgumentException($"{option} must be a number of seconds between 0 and 86,400 (got {value})");
}
