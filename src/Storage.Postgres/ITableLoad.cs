namespace Storage.Postgres;

/// <summary>What the session needs of the table load under way.</summary>
internal interface ITableLoad
{
    string Table { get; }

    bool IsBuilt { get; }

    /// <summary>Cancels an open COPY (the session is rolling back).</summary>
    ValueTask CloseAsync();
}
