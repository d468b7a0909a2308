namespace Storage.Abstractions;

/// <summary>What an agent task asks for. Stored as <c>spec</c>, <c>test</c>, <c>impl</c>, <c>review</c>, <c>heal</c>.</summary>
public enum AgentTaskType
{
    /// <summary>Write a specification.</summary>
    Spec,

    /// <summary>Write tests.</summary>
    Test,

    /// <summary>Implement.</summary>
#pragma warning disable CA1711 // "impl" is the task type's name in the schema and the existing API.
    Impl,
#pragma warning restore CA1711

    /// <summary>Review a change.</summary>
    Review,

    /// <summary>Repair something broken.</summary>
    Heal,
}
