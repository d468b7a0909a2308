using System.Text.Json;
using System.Text.Unicode;
using Storage.Abstractions;

namespace Storage.InMemory;

public sealed partial class SnapshotReader
{
    private static SnapshotHeader ParseHeader(string path, string text)
    {
        SnapshotHeader? header;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String
                || format.GetString() != SnapshotFormat.Name)
            {
                throw new SnapshotFormatException(path, 1, $"is not a storage snapshot (the first line must have \"format\": \"{SnapshotFormat.Name}\")");
            }

            if (!document.RootElement.TryGetProperty("version", out var version))
            {
                throw new SnapshotFormatException(path, 1, $"has no \"version\"; it must be the number {SnapshotFormat.Version}, the version this library reads");
            }

            if (version.ValueKind != JsonValueKind.Number)
            {
                throw new SnapshotFormatException(path, 1, $"has \"version\": {SnapshotJsonErrors.Shown(version)}, but the version must be the number {SnapshotFormat.Version}");
            }

            if (!version.TryGetInt32(out var v) || v != SnapshotFormat.Version)
            {
                throw new SnapshotFormatException(path, 1, $"has format version {SnapshotJsonErrors.Shown(version)}; this library reads version {SnapshotFormat.Version}");
            }

            header = document.RootElement.Deserialize<SnapshotHeader>(SnapshotFormat.Json);
        }
        catch (JsonException ex)
        {
            throw new SnapshotFormatException(path, 1, SnapshotJsonErrors.Describe(ex, text, typeof(SnapshotHeader)), ex);
        }

        return header! with { TakenAt = header!.TakenAt.ToUniversalTime() };
    }

    /// <summary>
    /// The current line's record (raw, not yet normalized) or <see cref="SnapshotEnd"/>. A plain line is read by
    /// <see cref="SnapshotRecordParser"/>; anything else goes through the serializer, which gives the same value
    /// or an error, which <see cref="SnapshotJsonErrors"/> puts in the format's terms.
    /// </summary>
    private object ParseLine()
    {
        var bytes = _reader.Line;
        if (!Utf8.IsValid(bytes))
        {
            _ = Decode(FilePath, _line, bytes);
        }

        return _parser.TryParse(bytes) ?? ParseLine(Decode(FilePath, _line, bytes));
    }

    private object ParseLine(string text)
    {
        SnapshotLine? line;
        try
        {
            line = JsonSerializer.Deserialize<SnapshotLine>(text, SnapshotFormat.Json);
        }
        catch (JsonException ex)
        {
            throw Error(_line, SnapshotJsonErrors.Describe(ex, text, typeof(SnapshotLine)), ex);
        }
        catch (StorageValidationException ex)
        {
            // Metadata is validated as it is read (JsonMetadataConverter).
            throw Error(_line, $"has an invalid record: {ex.Message}", ex);
        }

        if (line is not { Count: 1 })
        {
            throw Error(_line, "must be one object with one property: {\"<tag>\": {record}}, the tag one of project, dependency, contributor, asset, contribution, agent_task, end");
        }

        return line.Record is { } record ? record.Record : line.End!;
    }

    private object Normalize(SnapshotSection section, object raw)
    {
        if (SnapshotNormalForm.IsNormalized(raw))
        {
            return raw;
        }

        try
        {
            return NormalizeRecord(raw);
        }
        catch (StorageValidationException ex)
        {
            throw Error(_line, $"has an invalid {SnapshotFormat.Tag(section)} record: {ex.Message}", ex);
        }
    }

    /// <summary>A record as read, validated and normalized like an import; the derived dependency count and total cost are kept as written.</summary>
    /// <exception cref="StorageValidationException">The record is invalid.</exception>
    internal static object NormalizeRecord(object raw) => raw switch
    {
        Project p => StorageValidation.Normalize(p) with { DependencyCount = p.DependencyCount },
        DependencyEdge e => StorageValidation.Edge(e.From, e.To),
        Contributor c => StorageValidation.Normalize(c),
        Asset a => StorageValidation.Normalize(a) with { TotalCost = a.TotalCost },
        Contribution c => StorageValidation.Normalize(c),
        AgentTask t => StorageValidation.Normalize(t),
        _ => throw new InvalidOperationException($"Unexpected record type {raw.GetType()}."),
    };

    private void CheckEnd(SnapshotEnd end, long records)
    {
        if (end.Records != records)
        {
            throw Error(_line, $"says it holds {end.Records} records, but {records} were read");
        }
    }

    private static SnapshotSection SectionOf(object record) => record switch
    {
        Project => SnapshotSection.Projects,
        DependencyEdge => SnapshotSection.Dependencies,
        Contributor => SnapshotSection.Contributors,
        Asset => SnapshotSection.Assets,
        Contribution => SnapshotSection.Contributions,
        _ => SnapshotSection.AgentTasks,
    };

    private static int CompareKeys(SnapshotSection section, object x, object y) => section switch
    {
        SnapshotSection.Projects => StorageOrdering.CompareKey(((Project)x).Key, ((Project)y).Key),
        SnapshotSection.Dependencies => StorageOrdering.Edge.Compare((DependencyEdge)x, (DependencyEdge)y),
        SnapshotSection.Contributors => StorageOrdering.CompareGuid(((Contributor)x).Id, ((Contributor)y).Id),
        SnapshotSection.Assets => StorageOrdering.CompareGuid(((Asset)x).Id, ((Asset)y).Id),
        SnapshotSection.Contributions => StorageOrdering.CompareGuid(((Contribution)x).Id, ((Contribution)y).Id),
        _ => StorageOrdering.CompareText(((AgentTask)x).Id, ((AgentTask)y).Id),
    };
}
