using System.Text.RegularExpressions;

namespace Storage.Postgres;

/// <summary>The one check for names that end up in SQL text (the schema): simple lower-case identifiers only.</summary>
internal static partial class PostgresIdentifier
{
    /// <summary>Why <paramref name="name"/> is not a usable schema name, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "must not be empty";
        }

        if (!SimpleIdentifier().IsMatch(name))
        {
            return "must be a simple identifier: a lower-case ASCII letter or '_', then up to 62 lower-case letters, digits or '_'";
        }

        return name.StartsWith("pg_", StringComparison.Ordinal) || name == "information_schema"
            ? "must not be a reserved schema name (pg_*, information_schema)"
            : null;
    }

    /// <summary>Throws when <paramref name="name"/> is not a usable schema name.</summary>
    /// <exception cref="ArgumentException">The name is not a simple identifier.</exception>
    public static string Require(string? name, string parameterName)
        => Problem(name) is { } problem ? throw new ArgumentException($"The schema name {problem}.", parameterName) : name!;

    /// <summary>The identifier in double quotes (it holds no quote: <see cref="Require"/> checked it).</summary>
    public static string Quote(string name) => "\"" + name + "\"";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleIdentifier();
}
