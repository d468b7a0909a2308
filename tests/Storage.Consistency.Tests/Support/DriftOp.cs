using Storage.Consistency;

namespace Storage.Consistency.Tests.Support;

public enum DriftAction
{
    Missing,
    Extra,
    Change,
}

/// <summary>One injected difference: remove a record from the target, add one only the target has, or change a field.</summary>
public sealed record DriftOp(RecordKind Kind, DriftAction Action, int Index, int Field)
{
    public override string ToString() => $"{Action} {Kind.Name()} #{Index} field {Field}";
}
