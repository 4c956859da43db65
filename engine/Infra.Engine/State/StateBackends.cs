using Infra.State.Postgres;
using Infra.State.Sqlite;

namespace Infra.State;

/// <summary>Opens the state backend a URL names.</summary>
public static class StateBackends
{
    /// <summary>The environment variable that selects a backend, overriding <c>backend.url</c> in <c>Pulumi.yaml</c>.</summary>
    public const string UrlVariable = "INFRA_BACKEND_URL";

    /// <summary>The embedded default's location inside the project folder.</summary>
    public static string DefaultPath(string projectDirectory) => Path.Combine(projectDirectory, ".infra", "state.db");

    /// <summary>
    /// Opens <paramref name="url"/>: <c>postgres://…</c> (or <c>postgresql://…</c>), <c>sqlite:///path</c>,
    /// <c>file:///path</c>, or <c>memory://</c> (a fresh in-process backend, for tests); <see langword="null"/> means
    /// the embedded default in <paramref name="projectDirectory"/>.
    /// </summary>
    /// <exception cref="InfraException">The URL's scheme is unknown or the backend cannot be opened.</exception>
    public static async Task<IStateBackend> OpenAsync(string? url, string projectDirectory, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return await SqliteStateBackend.OpenAsync(DefaultPath(projectDirectory), cancellationToken).ConfigureAwait(false);
        }

        if (url == "memory://")
        {
            return new Memory.InMemoryStateBackend();
        }

        if (url.StartsWith("postgres://", StringComparison.Ordinal) || url.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return await PostgresStateBackend.OpenAsync(url, cancellationToken).ConfigureAwait(false);
        }

        foreach (var prefix in new[] { "sqlite://", "file://" })
        {
            if (url.StartsWith(prefix, StringComparison.Ordinal))
            {
                var path = url[prefix.Length..];
                path = Path.IsPathRooted(path) ? path : Path.Combine(projectDirectory, path);
                return await SqliteStateBackend.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InfraException($"backend URL '{PostgresUrl.Redact(url)}' has an unknown scheme; use postgres://…, sqlite:///path or file:///path.");
    }
}
