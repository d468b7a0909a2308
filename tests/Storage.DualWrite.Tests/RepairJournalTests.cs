namespace Storage.DualWrite.Tests;

public sealed class RepairJournalTests : IDisposable
{
    private readonly string _path = DualWriteHarness.TempJournalPath();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_reopened_journal_has_the_keys_dirty_and_not_repaired_since()
    {
        using (var journal = RepairJournal.Open(_path))
        {
            journal.MarkDirty(EntityKey.Project(new ProjectKey("npm", "a/b")), BackendRole.Source);
            journal.MarkDirty(EntityKey.AgentTask("t-1"), BackendRole.Source);
            journal.MarkDirty(EntityKey.Dependency(new(new("npm", "x"), new("pypi", "y"))), BackendRole.Target);
            journal.MarkDirty(EntityKey.Asset(Guid.Parse("0f000000-0000-4000-8000-000000000001")), BackendRole.Source);
            journal.MarkRepaired(EntityKey.AgentTask("t-1"), BackendRole.Source);
        }

        using var reopened = RepairJournal.Open(_path);

        Assert.Equal(3, reopened.PendingCount);
        Assert.True(reopened.TryGetGoodSide(EntityKey.Project(new ProjectKey("npm", "a/b")), out var good));
        Assert.Equal(BackendRole.Source, good);
        Assert.True(reopened.TryGetGoodSide(EntityKey.Dependency(new(new("npm", "x"), new("pypi", "y"))), out good));
        Assert.Equal(BackendRole.Target, good);
        Assert.True(reopened.TryGetGoodSide(EntityKey.Asset(Guid.Parse("0f000000-0000-4000-8000-000000000001")), out _));
        Assert.False(reopened.TryGetGoodSide(EntityKey.AgentTask("t-1"), out _));
    }

    [Fact]
    public void A_repair_from_the_wrong_side_leaves_the_key_pending()
    {
        using var journal = RepairJournal.Open(_path);
        var key = EntityKey.AgentTask("t-1");
        journal.MarkDirty(key, BackendRole.Source);
        journal.MarkDirty(key, BackendRole.Target);

        Assert.False(journal.MarkRepaired(key, BackendRole.Source));
        Assert.True(journal.MarkRepaired(key, BackendRole.Target));
        Assert.Equal(0, journal.PendingCount);
    }

    [Fact]
    public void The_file_is_emptied_when_nothing_is_pending()
    {
        using var journal = RepairJournal.Open(_path);
        var key = EntityKey.Contributor(Guid.Parse("0f000000-0000-4000-8000-000000000002"));
        journal.MarkDirty(key, BackendRole.Source);
        Assert.True(new FileInfo(_path).Length > 0);

        journal.MarkRepaired(key, BackendRole.Source);

        Assert.Equal(0, new FileInfo(_path).Length);
    }

    [Fact]
    public void An_unreadable_line_is_skipped_and_the_rest_replayed()
    {
        using (var journal = RepairJournal.Open(_path))
        {
            journal.MarkDirty(EntityKey.AgentTask("t-1"), BackendRole.Source);
        }

        File.AppendAllText(_path, "{\"event\":\"dirty\",\"kind\":\"agent_ta");

        using var reopened = RepairJournal.Open(_path);
        Assert.Equal(1, reopened.PendingCount);
        Assert.DoesNotContain("agent_ta\n", File.ReadAllText(_path), StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_hash_the_same_in_every_process()
    {
        // Pinned values: a change here would move keyed reads between backends across a deploy.
        int[] buckets =
        [
            EntityKey.Project(new ProjectKey("npm", "react")).Bucket,
            EntityKey.AgentTask("task-1").Bucket,
            EntityKey.Asset(Guid.Parse("0f000000-0000-4000-8000-000000000001")).Bucket,
            EntityKey.ContributorEmail("ada@x.io").Bucket,
        ];

        Assert.Equal([66, 8, 83, 98], buckets);
        Assert.NotEqual(EntityKey.Project(new ProjectKey("npm", "ab")), EntityKey.Project(new ProjectKey("npma", "b")));
    }
}
