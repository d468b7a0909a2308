using Storage.Consistency;
using Storage.Postgres;

namespace ConsistencyChecker.Stores;

/// <summary>The PostgreSQL stores' bulk loads of empty tables (<see cref="PostgresBulkLoad{T}"/>), for a repair.</summary>
internal sealed class PostgresBulkLoader(PostgresGraphStore graph, PostgresAgentTaskStore tasks) : IBulkLoader
{
    public async Task<IBulkLoad?> TryBeginAsync(RecordKind kind, CancellationToken cancellationToken) => kind switch
    {
        RecordKind.Project => Wrap(await graph.TryBeginProjectsLoadAsync(cancellationToken)),
        RecordKind.Dependency => Wrap(await graph.TryBeginDependenciesLoadAsync(cancellationToken)),
        RecordKind.Contributor => Wrap(await graph.TryBeginContributorsLoadAsync(cancellationToken)),
        RecordKind.Asset => Wrap(await graph.TryBeginAssetsLoadAsync(cancellationToken)),
        RecordKind.Contribution => Wrap(await graph.TryBeginContributionsLoadAsync(cancellationToken)),
        RecordKind.AgentTask => Wrap(await tasks.TryBeginTasksLoadAsync(cancellationToken)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static Typed<T>? Wrap<T>(PostgresBulkLoad<T>? load) => load is null ? null : new Typed<T>(load);

    private sealed class Typed<T>(PostgresBulkLoad<T> load) : IBulkLoad
    {
        public Task WriteAsync(IReadOnlyList<object> records, CancellationToken cancellationToken)
        {
            var typed = new T[records.Count];
            for (var i = 0; i < typed.Length; i++)
            {
                typed[i] = (T)records[i];
            }

            return load.WriteAsync(typed, cancellationToken);
        }

        public async Task<IReadOnlyList<(object Record, string Reason)>> BuildAsync(CancellationToken cancellationToken)
            => [.. (await load.BuildAsync(cancellationToken)).Select(r => ((object)r.Record!, r.Reason))];

        public Task CommitAsync(CancellationToken cancellationToken) => load.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => load.DisposeAsync();
    }
}
