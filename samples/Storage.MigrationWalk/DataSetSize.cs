namespace Storage.MigrationWalk;

/// <summary>How many records of each kind the generated data set holds.</summary>
public sealed record DataSetSize(int Projects, int Edges, int Contributors, int Assets, int Contributions, int Tasks)
{
    /// <summary>
    /// The shape, scaled by the project count: 100,000 projects give 300,000 edges, 10,000 contributors and
    /// assets, 100,000 contributions and 50,000 agent tasks.
    /// </summary>
    public static DataSetSize For(int projects)
        => new(projects, projects * 3, Math.Max(10, projects / 10), Math.Max(10, projects / 10), projects, Math.Max(10, projects / 2));

    /// <summary>Every record of the data set.</summary>
    public long Total => (long)Projects + Edges + Contributors + Assets + Contributions + Tasks;
}
