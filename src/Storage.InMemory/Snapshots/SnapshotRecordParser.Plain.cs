using System.Text;
using Storage.Abstractions;

namespace Storage.InMemory;

internal sealed partial class SnapshotRecordParser
{
    /// <summary>The record of a line exactly as the writer writes it; null for any other line.</summary>
    private object? ReadPlain(ReadOnlySpan<byte> bytes)
    {
        var line = new PlainLine(bytes);
        object? record =
            line.Skip(PlainProject[0]) ? ReadPlainProject(ref line)
            : line.Skip(PlainDependency[0]) ? ReadPlainDependency(ref line)
            : line.Skip(PlainContributor[0]) ? ReadPlainContributor(ref line)
            : line.Skip(PlainAsset[0]) ? ReadPlainAsset(ref line)
            : line.Skip(PlainContribution[0]) ? ReadPlainContribution(ref line)
            : line.Skip(PlainAgentTask[0]) ? ReadPlainAgentTask(ref line)
            : line.Skip(PlainEnd[0]) && line.Int64(out var records) ? new SnapshotEnd(records)
            : null;
        return record is not null && line.Skip("}}"u8) && line.AtEnd ? record : null;
    }

    private Project? ReadPlainProject(ref PlainLine line)
        => line.Text(_ecosystem, out var ecosystem)
            && line.Skip(PlainProject[1]) && line.Text(out var name)
            && line.Skip(PlainProject[2]) && line.OptionalText(out var version)
            && line.Skip(PlainProject[3]) && line.OptionalText(out var description)
            && line.Skip(PlainProject[4]) && line.OptionalText(out var homepage)
            && line.Skip(PlainProject[5]) && line.OptionalText(out var repository)
            && line.Skip(PlainProject[6]) && line.Int32(out var count)
            && line.Skip(PlainProject[7]) && line.Time(out var created)
            && line.Skip(PlainProject[8]) && line.Time(out var updated)
            ? new Project(ecosystem, name, version, description, homepage, repository, count, created, updated)
            : null;

    private DependencyEdge? ReadPlainDependency(ref PlainLine line)
        => line.Skip("{"u8) && ReadPlainKey(ref line, _fromEcosystem, _fromName, out var from)
            && line.Skip(PlainDependency[1]) && line.Skip("{"u8) && ReadPlainKey(ref line, _toEcosystem, _toName, out var to)
            ? new DependencyEdge(from, to)
            : null;

    private static bool ReadPlainKey(ref PlainLine line, LastText lastEcosystem, LastText lastName, out ProjectKey key)
    {
        string ecosystem = null!, name = null!;
        var ok = line.Skip(PlainKey[0]) && line.Text(lastEcosystem, out ecosystem)
            && line.Skip(PlainKey[1]) && line.Text(lastName, out name) && line.Skip("}"u8);
        key = ok ? new ProjectKey(ecosystem, name) : default;
        return ok;
    }

    private static Contributor? ReadPlainContributor(ref PlainLine line)
        => line.Id(out var id)
            && line.Skip(PlainContributor[1]) && line.Text(out var name)
            && line.Skip(PlainContributor[2]) && line.OptionalText(out var email)
            && line.Skip(PlainContributor[3]) && line.OptionalText(out var github)
            && line.Skip(PlainContributor[4]) && line.OptionalText(out var wallet)
            && line.Skip(PlainContributor[5]) && line.Metadata(out var metadata)
            && line.Skip(PlainContributor[6]) && line.Time(out var created)
            && line.Skip(PlainContributor[7]) && line.Time(out var updated)
            ? new Contributor(id, name, email, github, wallet, metadata, created, updated)
            : null;

    private static Asset? ReadPlainAsset(ref PlainLine line)
        => line.Id(out var id)
            && line.Skip(PlainAsset[1]) && line.Text(out var name)
            && line.Skip(PlainAsset[2]) && line.OptionalText(out var description)
            && line.Skip(PlainAsset[3]) && line.Named(AssetTypes, out var type)
            && line.Skip(PlainAsset[4]) && line.Decimal(out var total)
            && line.Skip(PlainAsset[5]) && line.Metadata(out var metadata)
            && line.Skip(PlainAsset[6]) && line.Time(out var created)
            && line.Skip(PlainAsset[7]) && line.Time(out var updated)
            ? new Asset(id, name, description, (AssetType)type, total, metadata, created, updated)
            : null;

    private static Contribution? ReadPlainContribution(ref PlainLine line)
        => line.Id(out var id)
            && line.Skip(PlainContribution[1]) && line.Id(out var contributor)
            && line.Skip(PlainContribution[2]) && line.Id(out var asset)
            && line.Skip(PlainContribution[3]) && line.Decimal(out var cost)
            && line.Skip(PlainContribution[4]) && line.Decimal(out var score)
            && line.Skip(PlainContribution[5]) && line.Metadata(out var metadata)
            && line.Skip(PlainContribution[6]) && line.Time(out var created)
            ? new Contribution(id, contributor, asset, cost, score, metadata, created)
            : null;

    private AgentTask? ReadPlainAgentTask(ref PlainLine line)
        => line.Text(out var id)
            && line.Skip(PlainAgentTask[1]) && line.Text(out var direction)
            && line.Skip(PlainAgentTask[2]) && line.Named(TaskTypes, out var type)
            && line.Skip(PlainAgentTask[3]) && line.Named(Statuses, out var status)
            && line.Skip(PlainAgentTask[4]) && line.OptionalText(_model, out var model)
            && line.Skip(PlainAgentTask[5]) && line.OptionalText(out var command)
            && line.Skip(PlainAgentTask[6]) && line.OptionalText(out var output)
            && line.Skip(PlainAgentTask[7]) && line.Metadata(out var context)
            && line.Skip(PlainAgentTask[8]) && line.Int32(out var progress)
            && line.Skip(PlainAgentTask[9]) && line.OptionalText(out var step)
            && line.Skip(PlainAgentTask[10]) && line.OptionalText(out var prompt)
            && line.Skip(PlainAgentTask[11]) && line.OptionalText(out var decision)
            && line.Skip(PlainAgentTask[12]) && line.OptionalText(_tier, out var tier)
            && line.Skip(PlainAgentTask[13]) && line.OptionalText(out var claimedBy)
            && line.Skip(PlainAgentTask[14]) && line.OptionalTime(out var claimedAt)
            && line.Skip(PlainAgentTask[15]) && line.OptionalTime(out var startedAt)
            && line.Skip(PlainAgentTask[16]) && line.Time(out var created)
            && line.Skip(PlainAgentTask[17]) && line.Time(out var updated)
            ? new AgentTask(
                id, direction, (AgentTaskType)type, (AgentTaskStatus)status, model, command, output, context, progress, step, prompt, decision,
                tier, claimedBy, claimedAt, startedAt, created, updated)
            : null;

    /// <summary>What comes before each field's value: <c>{"tag":{"first":</c>, then <c>,"next":</c> (no tag for a nested object).</summary>
    private static byte[][] Prefixes(string? tag, byte[][] names)
        => [.. names.Select((name, i) => Encoding.UTF8.GetBytes(
            (i > 0 ? "," : tag is null ? "" : $"{{\"{tag}\":{{") + "\"" + Encoding.UTF8.GetString(name) + "\":"))];
}
