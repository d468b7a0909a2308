using System.Data.Common;

namespace ConsistencyChecker.Stores;

/// <summary>Passwords in connection strings, which no message may print.</summary>
internal static partial class PostgresStore
{
    /// <summary>
    /// Removes every password value of <paramref name="connectionString"/> from <paramref name="text"/>: under any of
    /// Npgsql's names for it (Password, PWD, PSW), quoted or not, as parsed and as written; and a URL's user info
    /// (<c>postgresql://user:password@host</c>) and all of it after the scheme.
    /// </summary>
    public static string Redact(string text, string connectionString)
    {
        // Quoted whole (a parser repeating an argument): none of it, since an unquoted ';' in a password makes the rest
        // of the value look like other keys.
        if (HasPasswordKey(connectionString))
        {
            text = text.Replace(connectionString, "<connection string>", StringComparison.Ordinal);
        }

        foreach (var value in Passwords(connectionString).Where(v => v.Length > 0).OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, "***", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary><see cref="Redact(string, string)"/> for each of <paramref name="connectionStrings"/>.</summary>
    public static string Redact(string text, IEnumerable<string> connectionStrings)
    {
        foreach (var connectionString in connectionStrings)
        {
            text = Redact(text, connectionString);
        }

        return text;
    }

    private static IEnumerable<string> Passwords(string connectionString)
    {
        // A URL (postgresql://user:password@host/db?password=...), which is refused but may still be quoted: its user
        // info, and all of it after the scheme.
        var scheme = connectionString.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var at = connectionString.LastIndexOf('@');
            if (at > scheme + 3)
            {
                yield return connectionString[(scheme + 3)..at];
            }

            yield return connectionString[(scheme + 3)..];
        }

        // As written, part by part (a string that does not parse is still redacted), with the parts without '=' that
        // follow a password, which an unquoted ';' cut from it (Password=pa;ss;Host=db)...
        string? written = null;
        foreach (var part in connectionString.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                written = IsPasswordKey(part[..equals]) ? part[(equals + 1)..] : null;
            }
            else if (written is not null)
            {
                yield return part.Trim();
                written += ";" + part;
            }

            if (written is not null)
            {
                yield return written.Trim().Trim('\'', '"');
            }
        }

        // ...and as parsed, which undoes quoting (a quoted value may hold ';').
        var parsed = new DbConnectionStringBuilder();
        try
        {
            parsed.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            yield break;
        }

        foreach (string key in parsed.Keys)
        {
            if (IsPasswordKey(key) && parsed[key] is string value)
            {
                yield return value;
            }
        }
    }

    /// <summary>Whether any part of <paramref name="connectionString"/>, as written, sets a password.</summary>
    private static bool HasPasswordKey(string connectionString)
        => connectionString.Split(';').Any(part => part.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals && IsPasswordKey(part[..equals]));

    private static bool IsPasswordKey(string key)
    {
        key = key.Trim();
        return key.Contains("pass", StringComparison.OrdinalIgnoreCase)
            || key.Equals("pwd", StringComparison.OrdinalIgnoreCase)
            || key.Equals("psw", StringComparison.OrdinalIgnoreCase);
    }
}
