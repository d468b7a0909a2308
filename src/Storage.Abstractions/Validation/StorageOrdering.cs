namespace Storage.Abstractions;

/// <summary>
/// The orderings every backend uses, so that ordered results and streams agree element by element:
/// text in Unicode code-point order (PostgreSQL's <c>COLLATE "C"</c> over UTF-8), UUIDs in the byte order
/// PostgreSQL sorts them in.
/// </summary>
public static class StorageOrdering
{
    /// <summary>Compares strings by Unicode code point (equal to UTF-8 byte order).</summary>
    public static IComparer<string> Text { get; } = Comparer<string>.Create(CompareText);

    /// <summary>Compares UUIDs by their big-endian (RFC 4122) bytes, as PostgreSQL does.</summary>
    public static IComparer<Guid> Uuid { get; } = Comparer<Guid>.Create(CompareGuid);

    /// <summary>Orders project keys by ecosystem, then name.</summary>
    public static IComparer<ProjectKey> ProjectKey { get; } = Comparer<ProjectKey>.Create(CompareKey);

    /// <summary>Orders edges by their from key, then their to key.</summary>
    public static IComparer<DependencyEdge> Edge { get; } = Comparer<DependencyEdge>.Create(
        (x, y) => CompareKey(x.From, y.From) is var c and not 0 ? c : CompareKey(x.To, y.To));

    /// <summary>Code-point comparison; null sorts first.</summary>
    public static int CompareText(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        // The first difference decides (found vectorized); UTF-16 order differs from code-point order only there.
        var i = x.AsSpan().CommonPrefixLength(y);
        if (i == x.Length || i == y.Length)
        {
            return x.Length.CompareTo(y.Length);
        }

        int a = x[i], b = y[i];

        // UTF-16 sorts surrogates (D800-DFFF) before E000-FFFF; code-point order puts them after.
        if (a >= 0xD800 && b >= 0xD800)
        {
            a = a >= 0xE000 ? a - 0x800 : a + 0x2000;
            b = b >= 0xE000 ? b - 0x800 : b + 0x2000;
        }

        return a.CompareTo(b);
    }

    /// <summary>Big-endian byte comparison of two UUIDs.</summary>
    public static int CompareGuid(System.Guid x, System.Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }

    /// <summary>Orders project keys by ecosystem, then name, in code-point order.</summary>
    public static int CompareKey(ProjectKey x, ProjectKey y)
    {
        var c = CompareText(x.Ecosystem, y.Ecosystem);
        return c != 0 ? c : CompareText(x.Name, y.Name);
    }
}
