namespace Storage.DualWrite.Tests.Contracts;

// The contract suites against the decorator in every phase, in-memory on both sides.

public sealed class SourceOnlyGraphContract : DualWriteGraphContract
{
    protected override MigrationFlags Flags => MigrationFlags.Off;
}

public sealed class DualWriteGraphContractAt0 : DualWriteGraphContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.DualWrite);
}

public sealed class ReadShiftGraphContractAt50 : DualWriteGraphContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.ReadShift, 50);
}

public sealed class ReadShiftGraphContractAt100 : DualWriteGraphContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.ReadShift, 100);
}

public sealed class TargetPrimaryGraphContract : DualWriteGraphContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.TargetPrimary);
}

public sealed class TargetOnlyGraphContract : DualWriteGraphContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.TargetOnly);
}

public sealed class SourceOnlyTaskContract : DualWriteAgentTaskContract
{
    protected override MigrationFlags Flags => MigrationFlags.Off;
}

public sealed class DualWriteTaskContractAt0 : DualWriteAgentTaskContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.DualWrite);
}

public sealed class ReadShiftTaskContractAt50 : DualWriteAgentTaskContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.ReadShift, 50);
}

public sealed class ReadShiftTaskContractAt100 : DualWriteAgentTaskContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.ReadShift, 100);
}

public sealed class TargetPrimaryTaskContract : DualWriteAgentTaskContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.TargetPrimary);
}

public sealed class TargetOnlyTaskContract : DualWriteAgentTaskContract
{
    protected override MigrationFlags Flags => MigrationFlags.For(MigrationPhase.TargetOnly);
}
