using System.Globalization;

namespace Storage.Benchmarks;

/// <summary>
/// The data set of the <c>checker</c> command: <see cref="Projects"/> projects and, scaled from it, twice as many edges,
/// as many agent tasks, a tenth as many contributors and assets and a fifth as many contributions. The memory
/// comparison runs the same at <see cref="SmallProjects"/>.
/// </summary>
internal sealed record CheckerSettings(int Projects, int SmallProjects, int Runs)
{
    public const string Usage = "checker [--projects 1000000] [--small-projects 100000] [--runs 2]";

    public static CheckerSettings? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "checker" || args.Length % 2 == 0)
        {
            return null;
        }

        var settings = new CheckerSettings(Projects: 1_000_000, SmallProjects: 100_000, Runs: 2);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                return null;
            }

            settings = args[i] switch
            {
                "--projects" => settings with { Projects = value },
                "--small-projects" => settings with { SmallProjects = value },
                "--runs" => settings with { Runs = value },
                _ => null,
            };
            if (settings is null)
            {
                return null;
            }
        }

        return settings;
    }
}
