namespace Storage.SampleHost;

/// <summary>Reads the route and query values the routes need, refusing what they cannot use with a 400.</summary>
internal static class RouteValues
{
    /// <summary>The page size of the list routes when none is given: <value>50</value>, as the store's default.</summary>
    public const int DefaultLimit = 50;

    /// <summary>
    /// A project key from two path segments. A '/' inside a name (npm scopes: <c>@babel/core</c>) must be sent as
    /// <c>%2F</c>, which the server leaves encoded in the path; it is decoded here. (So the literal text <c>%2F</c> in a
    /// name cannot be addressed by these routes.)
    /// </summary>
    public static ProjectKey Key(string ecosystem, string name) => new(Decode(ecosystem), Decode(name));

    /// <summary>An enum value from the query: its name, any case, with or without underscores (<c>needs_decision</c>).</summary>
    public static TEnum? Enum<TEnum>(string? value, string parameter)
        where TEnum : struct, System.Enum
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Replace("_", "", StringComparison.Ordinal);
        // Enum.TryParse also takes numbers and comma-separated lists; neither names one value.
        return !int.TryParse(text, out _) && !text.Contains(',', StringComparison.Ordinal)
            && System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw ProblemMapping.BadRequest($"{parameter} must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())} (got '{value}').");
    }

    private static string Decode(string segment)
        => segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
