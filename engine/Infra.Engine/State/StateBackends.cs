using System.Text.RegularExpressions;
using Infra.State.Memory;

namespace Infra.State;

/// <summary>Opens the state backend a URL names, through the factory registered for its scheme.</summary>
public static partial class StateBackends
{
    /// <summary>The environment variable that selects a backend, overriding <c>backend.url</c> in <c>Pulumi.yaml</c>.</summary>
    public const string UrlVariable = "INFRA_BACKEND_URL";

    /// <summary>The scheme of the in-process backend every workspace can open (<c>memory://</c>, for tests).</summary>
    public const string MemoryScheme = "memory";

    /// <summary>The scheme of the embedded default, opened when no URL is given.</summary>
    public const string DefaultScheme = "sqlite";

    /// <summary>The embedded default's location inside the project folder.</summary>
    public static string DefaultPath(string projectDirectory) => Path.Combine(projectDirectory, ".infra", "state.db");

    /// <summary>The embedded default's URL: <c>sqlite://</c> and <see cref="DefaultPath"/>.</summary>
    public static string DefaultUrl(string projectDirectory) => $"{DefaultScheme}://{DefaultPath(projectDirectory)}";

    /// <summary>
    /// Opens <paramref name="url"/> with the factory of its scheme; <c>memory://</c> is a fresh in-process backend, and
    /// <see langword="null"/> means the embedded default (<see cref="DefaultUrl"/>).
    /// </summary>
    /// <exception cref="InfraException">No factory serves the URL's scheme, or the backend cannot be opened.</exception>
    public static async Task<IStateBackend> OpenAsync(
        IEnumerable<IStateBackendFactory> factories, string? url, string projectDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factories);
        url = string.IsNullOrWhiteSpace(url) ? DefaultUrl(projectDirectory) : url;
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = separator > 0 ? url[..separator].ToLowerInvariant() : string.Empty;
        if (scheme == MemoryScheme)
        {
            return new InMemoryStateBackend();
        }

        var known = factories.ToList();
        var factory = known.FirstOrDefault(f => f.Schemes.Contains(scheme, StringComparer.Ordinal));
        if (factory is null)
        {
            var schemes = known.SelectMany(static f => f.Schemes).Append(MemoryScheme).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            throw new InfraException(
                $"backend URL '{Redact(url)}' has {(scheme.Length == 0 ? "no scheme" : $"the scheme '{scheme}', which no registered state backend opens")}; " +
                $"use one of {string.Join(", ", schemes.Select(static s => s + "://"))}.");
        }

        return await factory.OpenAsync(url, projectDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URL with its password replaced by <c>***</c>, for messages and display.</summary>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Password().Replace(url, "$1***@");
    }

    [GeneratedRegex(@"(://[^:/@]+:)[^@]*@")]
    private static partial Regex Password();
}
