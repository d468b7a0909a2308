using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Storage.Postgres;

/// <summary>One numbered schema migration, embedded in this assembly as <c>Migrations/NNNN_name.sql</c>.</summary>
/// <param name="Version">The number that orders the migrations.</param>
/// <param name="Name">The file's name without number and extension, for example <c>initial</c>.</param>
public sealed partial record PostgresMigration(int Version, string Name)
{
    /// <summary>Every embedded migration, in version order.</summary>
    public static IReadOnlyList<PostgresMigration> All { get; } = Load();

    /// <summary>The SQL text of the migration.</summary>
    internal string Sql { get; private init; } = "";

    private static PostgresMigration[] Load()
    {
        var assembly = typeof(PostgresMigration).Assembly;
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            migrations.Add(new PostgresMigration(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value)
            {
                Sql = Read(assembly, resource),
            });
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two embedded migrations have the version {migrations[i].Version}.");
            }
        }

        return [.. migrations];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded migration {resource} cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\.Migrations\.(?<version>[0-9]{4})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceName();
}
