using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// Reads the connection string the options carry. Besides Npgsql's own syntax it accepts libpq's way of naming
/// several servers, a host list with a matching port list (<c>Host=a,b;Port=5432,5433</c>), which Npgsql spells
/// <c>Host=a:5432,b:5433</c>. No problem description repeats any part of the text: it may hold a password.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>The connection string in Npgsql's syntax.</summary>
    /// <exception cref="ArgumentException">It cannot be used (see <see cref="Problem"/>); the message does not quote it.</exception>
    public static string Normalize(string connectionString)
        => Read(connectionString, out var normalized) is { } problem
            ? throw new ArgumentException($"The connection string {problem}", nameof(connectionString))
            : normalized!;

    /// <summary>Why the connection string cannot be used, as the end of a sentence starting with its name; null when it can.</summary>
    public static string? Problem(string connectionString) => Read(connectionString, out _);

    private static string? Read(string connectionString, out string? normalized)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        normalized = null;
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The parser's message may quote the text around the error.
            return NotValid;
        }

        if (FoldPortList(generic) is { } problem)
        {
            return problem;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(generic.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException)
        {
            // Npgsql's message names the keyword it could not set, which a password with a stray ';' may have become.
            return NotValid;
        }

        normalized = generic.ConnectionString;
        return null;
    }

    private static string NotValid => "is not a valid Npgsql connection string (its text is not repeated: it may hold a password).";

    /// <summary>Turns <c>Host=a,b;Port=1,2</c> into <c>Host=a:1,b:2</c>; a single port is left for Npgsql to apply to every host.</summary>
    private static string? FoldPortList(DbConnectionStringBuilder builder)
    {
        if (!builder.TryGetValue("Port", out var portValue) || portValue?.ToString() is not { } portText || !portText.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var hostKey = builder.ContainsKey("Host") ? "Host" : builder.ContainsKey("Server") ? "Server" : null;
        var hosts = (hostKey is null ? "" : builder[hostKey]?.ToString() ?? "").Split(',', StringSplitOptions.TrimEntries);
        var ports = portText.Split(',', StringSplitOptions.TrimEntries);
        if (hostKey is null || hosts.Length != ports.Length)
        {
            return $"names {(hostKey is null ? 0 : hosts.Length)} host(s) and {ports.Length} ports: give one port for every host, or a single port for all.";
        }

        for (var i = 0; i < hosts.Length; i++)
        {
            if (!int.TryParse(ports[i], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65_535)
            {
                return $"has a port list whose entry {i + 1} is not a TCP port number.";
            }

            if (hosts[i].Length == 0 || hosts[i].StartsWith('/') || HasPort(hosts[i]))
            {
                return $"has a port list, but its host {i + 1} is empty, a socket folder or already names a port.";
            }

            // A bare IPv6 address takes brackets before its port.
            hosts[i] = (hosts[i].Contains(':', StringComparison.Ordinal) ? $"[{hosts[i]}]" : hosts[i]) + ":" + port.ToString(CultureInfo.InvariantCulture);
        }

        builder[hostKey] = string.Join(',', hosts);
        builder.Remove("Port");
        return null;
    }

    /// <summary>True for <c>name:port</c> and <c>[v6]:port</c>; false for a bare name or IPv6 address.</summary>
    private static bool HasPort(string host)
        => host.StartsWith('[') ? host.Contains("]:", StringComparison.Ordinal) : host.Count(c => c == ':') == 1;
}
