namespace Storage.InMemory;

/// <summary>A snapshot file could not be read: missing, truncated, corrupt, of another version, or holding an invalid record. Nothing was loaded.</summary>
public sealed class SnapshotFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>, at <paramref name="line"/> when known.</summary>
    public SnapshotFormatException(string path, long? line, string message, Exception? innerException = null)
        : base(line is { } l ? $"{NameOf(path)} line {l}: {message}" : $"{NameOf(path)}: {message}", innerException)
    {
        FilePath = path;
        Line = line;
    }

    /// <summary>The snapshot file.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line that is wrong, when the problem is on one line.</summary>
    public long? Line { get; }

    /// <summary>The file's name, or the path itself when it names none (<c>/</c>, <c>data/</c>).</summary>
    private static string NameOf(string path)
        => Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) is { Length: > 0 } name ? name : path;
}
