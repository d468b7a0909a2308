using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// Tells, without allocating, that a record read from a snapshot is already what <see cref="StorageValidation"/>
/// would return for it (valid, trimmed, folded, scale 2, UTC microseconds), as it is when the file was written
/// from a store. False means "not shown here": the reader then normalizes the record the full way, which
/// returns the normalized copy or throws the validation error.
/// </summary>
internal static class SnapshotNormalForm
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>True when normalizing <paramref name="record"/> would return an equal record.</summary>
    public static bool IsNormalized(object record) => record switch
    {
        Project p => IsKeyPart(p.Ecosystem, StorageLimits.Ecosystem) && IsKeyPart(p.Name, StorageLimits.Name)
            && IsOptionalTrimmed(p.Version, StorageLimits.Version) && IsText(p.Description, StorageLimits.Description)
            && IsUrl(p.HomepageUrl) && IsUrl(p.RepositoryUrl) && AreTimes(p.CreatedAt, p.UpdatedAt),
        DependencyEdge e => IsKey(e.From) && IsKey(e.To) && e.From != e.To,
        Contributor c => c.Id != Guid.Empty && IsTrimmed(c.Name, StorageLimits.Name) && IsEmail(c.Email)
            && IsOptionalTrimmed(c.GithubUsername, StorageLimits.GithubUsername) && IsOptionalTrimmed(c.WalletAddress, StorageLimits.WalletAddress)
            && c.Metadata is not null && AreTimes(c.CreatedAt, c.UpdatedAt),
        Asset a => a.Id != Guid.Empty && IsTrimmed(a.Name, StorageLimits.Name) && Enum.IsDefined(a.AssetType)
            && IsText(a.Description, StorageLimits.Description) && a.Metadata is not null && AreTimes(a.CreatedAt, a.UpdatedAt),
        Contribution c => c.Id != Guid.Empty && c.ContributorId != Guid.Empty && c.AssetId != Guid.Empty
            && IsMoney(c.CostAmount, StorageLimits.MaxCostAmount) && IsMoney(c.CoherenceScore, 1m) && c.Metadata is not null && IsTime(c.CreatedAt),
        AgentTask t => IsTaskId(t.Id) && IsTrimmed(t.Direction, StorageLimits.Direction) && Enum.IsDefined(t.TaskType) && Enum.IsDefined(t.Status)
            && IsOptionalTrimmed(t.Model, StorageLimits.Model) && IsText(t.Command, StorageLimits.Command) && IsText(t.Output, StorageLimits.Output)
            && t.Context is not null && t.Progress is >= 0 and <= 100 && IsOptionalTrimmed(t.CurrentStep, StorageLimits.CurrentStep)
            && IsText(t.DecisionPrompt, StorageLimits.Decision) && IsText(t.Decision, StorageLimits.Decision)
            && IsOptionalTrimmed(t.Tier, StorageLimits.Tier) && IsOptionalTrimmed(t.ClaimedBy, StorageLimits.WorkerId)
            && (t.ClaimedBy is null) == (t.ClaimedAt is null) && IsOptionalTime(t.ClaimedAt) && IsOptionalTime(t.StartedAt)
            && AreTimes(t.CreatedAt, t.UpdatedAt),
        _ => false,
    };

    private static bool IsKey(ProjectKey key) => IsKeyPart(key.Ecosystem, StorageLimits.Ecosystem) && IsKeyPart(key.Name, StorageLimits.Name);

    /// <summary>A key part that trimming and folding leave as it is: ASCII without upper case, NUL or whitespace at either end.</summary>
    private static bool IsKeyPart(string? value, int max)
    {
        if (value is null || value.Length == 0 || value.Length > max || IsAsciiSpace(value[0]) || IsAsciiSpace(value[^1]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is >= (char)0x80 or '\0' or (>= 'A' and <= 'Z'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A required text that trimming leaves as it is, within its limit and storable.</summary>
    private static bool IsTrimmed(string? value, int max)
        => value is { Length: > 0 } && value.Length <= max && !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])
            && IsStorable(value);

    private static bool IsOptionalTrimmed(string? value, int max) => value is null || IsTrimmed(value, max);

    private static bool IsText(string? value, int max) => value is null || (value.Length <= max && IsStorable(value));

    /// <summary><see cref="StorageText.FindUnstorable"/> finds nothing; one vectorized scan when no character is NUL or at or above U+D800.</summary>
    private static bool IsStorable(string value)
        => value.AsSpan().IndexOfAnyExceptInRange('\u0001', '\ud7ff') < 0 || StorageText.FindUnstorable(value) is null;

    private static bool IsUrl(string? value)
        => value is null
            || (IsTrimmed(value, StorageLimits.Url) && Uri.TryCreate(value, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    /// <summary>An email that normalizing leaves as it is: ASCII without upper case, NUL or whitespace, one <c>@</c> inside.</summary>
    private static bool IsEmail(string? value)
    {
        if (value is null)
        {
            return true;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (value.Length > StorageLimits.Email || at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is >= (char)0x80 or '\0' or (>= 'A' and <= 'Z') || IsAsciiSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTaskId(string? value)
    {
        if (value is not { Length: > 0 and <= StorageLimits.TaskId })
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMoney(decimal value, decimal max) => value.Scale == 2 && !decimal.IsNegative(value) && value <= max;

    private static bool IsTime(DateTimeOffset value) => value.Offset == TimeSpan.Zero && value.UtcTicks % TicksPerMicrosecond == 0;

    private static bool IsOptionalTime(DateTimeOffset? value) => value is not { } v || IsTime(v);

    private static bool AreTimes(DateTimeOffset created, DateTimeOffset updated) => IsTime(created) && IsTime(updated) && updated >= created;

    private static bool IsAsciiSpace(char c) => c is ' ' or (>= '\t' and <= '\r');
}
