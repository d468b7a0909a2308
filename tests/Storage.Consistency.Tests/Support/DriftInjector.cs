using Storage.Consistency;

namespace Storage.Consistency.Tests.Support;

/// <summary>
/// Applies drift operations to a target data set, keeping it importable: removing a project removes its edges,
/// removing a contributor or asset removes its contributions, a new edge joins two projects the target has, changed
/// times keep updated at or after created, and changed emails are fresh.
/// </summary>
public static class DriftInjector
{
    public static void Apply(DataSet target, DataGen gen, DriftOp op)
    {
        switch (op.Action)
        {
            case DriftAction.Missing:
                Remove(target, op);
                break;
            case DriftAction.Extra:
                Add(target, gen, op.Kind);
                break;
            default:
                Change(target, gen, op);
                break;
        }
    }

    private static void Remove(DataSet data, DriftOp op)
    {
        switch (op.Kind)
        {
            case RecordKind.Project when data.Projects.Count > 0:
                var project = data.Projects[op.Index % data.Projects.Count];
                data.Projects.Remove(project);
                data.Edges.RemoveAll(e => e.From == project.Key || e.To == project.Key);
                break;
            case RecordKind.Dependency when data.Edges.Count > 0:
                data.Edges.RemoveAt(op.Index % data.Edges.Count);
                break;
            case RecordKind.Contributor when data.Contributors.Count > 0:
                var contributor = data.Contributors[op.Index % data.Contributors.Count];
                data.Contributors.Remove(contributor);
                data.Contributions.RemoveAll(c => c.ContributorId == contributor.Id);
                break;
            case RecordKind.Asset when data.Assets.Count > 0:
                var asset = data.Assets[op.Index % data.Assets.Count];
                data.Assets.Remove(asset);
                data.Contributions.RemoveAll(c => c.AssetId == asset.Id);
                break;
            case RecordKind.Contribution when data.Contributions.Count > 0:
                data.Contributions.RemoveAt(op.Index % data.Contributions.Count);
                break;
            case RecordKind.AgentTask when data.Tasks.Count > 0:
                data.Tasks.RemoveAt(op.Index % data.Tasks.Count);
                break;
        }
    }

    private static void Add(DataSet data, DataGen gen, RecordKind kind)
    {
        switch (kind)
        {
            case RecordKind.Project:
                data.Projects.Add(gen.NewProject());
                break;
            case RecordKind.Dependency:
                gen.AddEdge(data);
                break;
            case RecordKind.Contributor:
                data.Contributors.Add(gen.NewContributor());
                break;
            case RecordKind.Asset:
                data.Assets.Add(gen.NewAsset());
                break;
            case RecordKind.Contribution:
                gen.AddContribution(data);
                break;
            default:
                data.Tasks.Add(gen.NewTask());
                break;
        }
    }

    private static void Change(DataSet data, DataGen gen, DriftOp op)
    {
        var f = op.Field;
        switch (op.Kind)
        {
            case RecordKind.Project when data.Projects.Count > 0:
                Replace(data.Projects, op.Index, p => (f % 7) switch
                {
                    0 => p with { Version = "v" + gen.Unique() },
                    1 => p with { Description = p.Description is null ? "now described" : null },
                    2 => p with { HomepageUrl = "https://changed.example.org/" + gen.Unique() },
                    3 => p with { RepositoryUrl = p.RepositoryUrl is null ? "https://git.example.org/changed" : null },
                    4 => p with { UpdatedAt = p.UpdatedAt.AddTicks(10) },
                    5 => p with { CreatedAt = p.CreatedAt.AddTicks(-10) },
                    _ => p with { Description = (p.Description ?? "") + " " },
                });
                break;
            case RecordKind.Contributor when data.Contributors.Count > 0:
                Replace(data.Contributors, op.Index, c => (f % 7) switch
                {
                    0 => c with { Name = "Renamed " + gen.Unique() },
                    1 => c with { Email = c.Email is null ? $"fresh{gen.Unique()}@example.org" : null },
                    2 => c with { GithubUsername = "gh-changed" },
                    3 => c with { WalletAddress = c.WalletAddress is null ? "0xabc" : null },
                    4 => c with { Metadata = JsonMetadata.Parse("""{"changed":true}""") },
                    5 => c with { UpdatedAt = c.UpdatedAt.AddTicks(10) },
                    _ => c with { CreatedAt = c.CreatedAt.AddTicks(-10) },
                });
                break;
            case RecordKind.Asset when data.Assets.Count > 0:
                Replace(data.Assets, op.Index, a => (f % 6) switch
                {
                    0 => a with { Name = "Renamed " + gen.Unique() },
                    1 => a with { Description = a.Description is null ? "described" : null },
                    2 => a with { AssetType = (AssetType)(((int)a.AssetType + 1) % 4) },
                    3 => a with { Metadata = JsonMetadata.Parse("""{"changed":1}""") },
                    4 => a with { UpdatedAt = a.UpdatedAt.AddTicks(10) },
                    _ => a with { CreatedAt = a.CreatedAt.AddTicks(-10) },
                });
                break;
            case RecordKind.Contribution when data.Contributions.Count > 0:
                Replace(data.Contributions, op.Index, c => (f % 6) switch
                {
                    0 => c with { ContributorId = gen.Pick(data.Contributors).Id },
                    1 => c with { AssetId = gen.Pick(data.Assets).Id },
                    2 => c with { CostAmount = c.CostAmount + 0.01m },
                    3 => c with { CoherenceScore = c.CoherenceScore == 1.00m ? 0.00m : c.CoherenceScore + 0.01m },
                    4 => c with { Metadata = JsonMetadata.Parse("""{"changed":"yes"}""") },
                    _ => c with { CreatedAt = c.CreatedAt.AddTicks(10) },
                });
                break;
            case RecordKind.AgentTask when data.Tasks.Count > 0:
                Replace(data.Tasks, op.Index, t => (f % 16) switch
                {
                    0 => t with { Direction = "redo " + gen.Unique() },
                    1 => t with { TaskType = (AgentTaskType)(((int)t.TaskType + 1) % 5) },
                    2 => t with { Status = (AgentTaskStatus)(((int)t.Status + 1) % 5) },
                    3 => t with { Model = t.Model is null ? "model-x" : null },
                    4 => t with { Command = "changed" },
                    5 => t with { Output = t.Output is null ? "out" : null },
                    6 => t with { Context = JsonMetadata.Parse("""{"ctx":2}""") },
                    7 => t with { Progress = (t.Progress + 1) % 101 },
                    8 => t with { CurrentStep = t.CurrentStep is null ? "step x" : null },
                    9 => t with { DecisionPrompt = "why?" },
                    10 => t with { Decision = t.Decision is null ? "yes" : null },
                    11 => t with { Tier = "tier-x" },
                    12 => t.ClaimedBy is null
                        ? t with { ClaimedBy = "worker-x", ClaimedAt = t.CreatedAt }
                        : t with { ClaimedBy = null, ClaimedAt = null },
                    13 => t with { StartedAt = t.StartedAt is null ? t.CreatedAt : null },
                    14 => t with { UpdatedAt = t.UpdatedAt.AddTicks(10) },
                    _ => t with { CreatedAt = t.CreatedAt.AddTicks(-10) },
                });
                break;
        }
    }

    private static void Replace<T>(List<T> list, int index, Func<T, T> change)
    {
        var i = index % list.Count;
        list[i] = change(list[i]);
    }
}
