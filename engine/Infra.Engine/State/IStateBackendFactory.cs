namespace Infra.State;

/// <summary>
/// Opens the state backends of some URL schemes (<c>sqlite</c> and <c>file</c>, <c>postgres</c> and
/// <c>postgresql</c>…). A workspace is given the factories it may use (<c>WorkspaceOptions.StateBackends</c>) and
/// picks one by the scheme of its backend URL, so the engine core knows no database driver.
/// </summary>
public interface IStateBackendFactory
{
    /// <summary>The URL schemes served, lower case, without <c>://</c>.</summary>
    IReadOnlyList<string> Schemes { get; }

    /// <summary>Opens the backend at <paramref name="url"/>, creating its tables if needed.</summary>
    /// <param name="url">The backend URL; its scheme is one of <see cref="Schemes"/>.</param>
    /// <param name="projectDirectory">The project folder, against which relative paths resolve.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="InfraException">The URL is malformed or the backend cannot be reached.</exception>
    Task<IStateBackend> OpenAsync(string url, string projectDirectory, CancellationToken cancellationToken);
}
