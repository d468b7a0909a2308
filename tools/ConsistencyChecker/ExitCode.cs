namespace ConsistencyChecker;

/// <summary>The tool's exit codes (documented in --help, docs/checker.md and the README).</summary>
internal enum ExitCode
{
    /// <summary>The two sides hold the same data (or the repair left no difference; the migration or export succeeded).</summary>
    Consistent = 0,

    /// <summary>Differences were found (and, with a repair, some are left: a dry run, extras kept, records refused).</summary>
    DifferencesFound = 1,

    /// <summary>Bad arguments or unreadable input: a missing, truncated or corrupt snapshot, another format version, a bad
    /// connection string, a refused login, a schema without the storage tables.</summary>
    BadInput = 2,

    /// <summary>A store could not be reached, was lost during the run, or failed in a way that passes when tried again.</summary>
    StoreUnreachable = 3,

    /// <summary>
    /// The run failed for another reason (a fault of the tool, or a record it cannot read): running it again will not
    /// help by itself; report it.
    /// </summary>
    Failed = 4,

    /// <summary>Canceled (Ctrl-C).</summary>
    Cancelled = 130,
}
