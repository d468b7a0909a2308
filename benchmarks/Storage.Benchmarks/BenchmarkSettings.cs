using System.Globalization;

namespace Storage.Benchmarks;

/// <summary>How long and how big each measurement is.</summary>
internal sealed record BenchmarkSettings(int Seconds, int Projects, int Tasks, int ImportRecords)
{
    public static BenchmarkSettings? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("postgres" or "dualwrite") || args.Length % 2 == 0)
        {
            return null;
        }

        var settings = new BenchmarkSettings(Seconds: 10, Projects: 100_000, Tasks: 1_000_000, ImportRecords: 1_000_000);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                return null;
            }

            settings = args[i] switch
            {
                "--seconds" => settings with { Seconds = value },
                "--projects" => settings with { Projects = value },
                "--tasks" => settings with { Tasks = value },
                "--import" => settings with { ImportRecords = value },
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
