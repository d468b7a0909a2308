namespace Storage.Consistency;

/// <summary>Where a check or repair is.</summary>
public enum ConsistencyPhase
{
    /// <summary>Not started.</summary>
    Starting,

    /// <summary>Reading both sides and comparing them.</summary>
    Comparing,

    /// <summary>Waiting before the recheck.</summary>
    Waiting,

    /// <summary>Reading the differing keys again.</summary>
    Rechecking,

    /// <summary>Done.</summary>
    Completed,

    /// <summary>A repair ending the load of a bulk-loaded kind: its constraints added, its other indexes listed for after the commit.</summary>
    BuildingIndexes,

    /// <summary>A repair whose bulk load committed, building the indexes it left to build after the commit.</summary>
    FinishingLoad,
}
