using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsistencyChecker.Output;

/// <summary>The source-generated serializer of every document the tool writes (snake_case, indented, nulls written).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CheckOutput))]
[JsonSerializable(typeof(ExportOutput))]
[JsonSerializable(typeof(MigrateOutput))]
internal sealed partial class CheckerJsonContext : JsonSerializerContext
{
    /// <summary>The same serializer, writing non-ASCII text and '+' as they are (the output is UTF-8, not HTML).</summary>
    public static CheckerJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
