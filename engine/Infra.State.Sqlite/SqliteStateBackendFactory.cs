namespace Infra.State.Sqlite;

/// <summary>Opens <c>sqlite:///path</c> and <c>file:///path</c> (a relative path is inside the project folder).</summary>
public sealed class SqliteStateBackendFactory : IStateBackendFactory
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Schemes { get; } = ["sqlite", "file"];

    /// <inheritdoc/>
    public async Task<IStateBackend> OpenAsync(string url, string projectDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var path = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        path = Path.IsPathRooted(path) ? path : Path.Combine(projectDirectory, path);
        return await SqliteStateBackend.OpenAsync(path, cancellationToken).ConfigureAwait(false);
    }
}
