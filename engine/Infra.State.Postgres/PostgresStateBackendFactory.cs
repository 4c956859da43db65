namespace Infra.State.Postgres;

/// <summary>Opens <c>postgres://user:password@host:port/database?schema=name</c> (or <c>postgresql://</c>).</summary>
public sealed class PostgresStateBackendFactory : IStateBackendFactory
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Schemes { get; } = ["postgres", "postgresql"];

    /// <inheritdoc/>
    public async Task<IStateBackend> OpenAsync(string url, string projectDirectory, CancellationToken cancellationToken) =>
        await PostgresStateBackend.OpenAsync(url, cancellationToken).ConfigureAwait(false);
}
