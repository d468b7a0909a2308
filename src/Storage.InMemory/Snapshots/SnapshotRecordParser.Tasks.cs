using System.Text.Json;
using Storage.Abstractions;

namespace Storage.InMemory;

internal sealed partial class SnapshotRecordParser
{
    private readonly LastText _model = new();
    private readonly LastText _tier = new();

    private static readonly byte[][] AgentTaskFields = Names(
        "id", "direction", "task_type", "status", "model", "command", "output", "context", "progress", "current_step",
        "decision_prompt", "decision", "tier", "claimed_by", "claimed_at", "started_at", "created_at", "updated_at");

    private static readonly byte[][] EndFields = Names("records");

    private static readonly byte[][] TaskTypes = Names([.. Enum.GetValues<AgentTaskType>().Select(StorageNames.Of)]);

    private static readonly byte[][] Statuses = Names([.. Enum.GetValues<AgentTaskStatus>().Select(StorageNames.Of)]);

    private static readonly byte[][] PlainAgentTask = Prefixes("agent_task", AgentTaskFields);

    private static readonly byte[][] PlainEnd = Prefixes(SnapshotFormat.EndTag, EndFields);

    private AgentTask? ReadAgentTask(ref Utf8JsonReader reader)
    {
        string id = null!, direction = null!;
        int type = 0, status = 0, progress = 0;
        string? model = null, command = null, output = null, step = null, prompt = null, decision = null, tier = null, claimedBy = null;
        JsonMetadata context = null!;
        DateTimeOffset? claimedAt = null, startedAt = null;
        DateTimeOffset created = default, updated = default;
        int field = -1, seen = 0;
        while (NextField(ref reader, AgentTaskFields, ref field, ref seen))
        {
            var ok = field switch
            {
                0 => Text(ref reader, out id),
                1 => Text(ref reader, out direction),
                2 => Named(ref reader, TaskTypes, out type),
                3 => Named(ref reader, Statuses, out status),
                4 => OptionalText(ref reader, _model, out model),
                5 => OptionalText(ref reader, out command),
                6 => OptionalText(ref reader, out output),
                7 => Metadata(ref reader, out context),
                8 => Int32(ref reader, out progress),
                9 => OptionalText(ref reader, out step),
                10 => OptionalText(ref reader, out prompt),
                11 => OptionalText(ref reader, out decision),
                12 => OptionalText(ref reader, _tier, out tier),
                13 => OptionalText(ref reader, out claimedBy),
                14 => OptionalTime(ref reader, out claimedAt),
                15 => OptionalTime(ref reader, out startedAt),
                16 => Time(ref reader, out created),
                _ => Time(ref reader, out updated),
            };
            if (!ok)
            {
                return null;
            }
        }

        return Complete(field, seen, AgentTaskFields)
            ? new AgentTask(
                id, direction, (AgentTaskType)type, (AgentTaskStatus)status, model, command, output, context, progress, step, prompt, decision,
                tier, claimedBy, claimedAt, startedAt, created, updated)
            : null;
    }

    private static SnapshotEnd? ReadEnd(ref Utf8JsonReader reader)
    {
        long records = 0;
        int field = -1, seen = 0;
        while (NextField(ref reader, EndFields, ref field, ref seen))
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out records))
            {
                return null;
            }
        }

        return Complete(field, seen, EndFields) ? new SnapshotEnd(records) : null;
    }
}
