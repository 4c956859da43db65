using System.Net;

namespace Infra.Plugins.Registry;

/// <summary>
/// Where a registry's files are read from: a folder, or a plain web server (any static host or object store that
/// serves the folder over HTTP). A registry is files only; nothing runs on its side.
/// </summary>
public interface IRegistrySource
{
    /// <summary>Where the registry is, for messages and the lock file.</summary>
    string Location { get; }

    /// <summary>The file at <paramref name="path"/> (relative to the root), or <see langword="null"/> when there is none.</summary>
    /// <exception cref="InfraException">The registry cannot be reached.</exception>
    Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken);
}

/// <summary>Opens a registry by location.</summary>
public static class RegistrySource
{
    /// <summary>An <c>http://</c> or <c>https://</c> URL, else a folder (relative to <paramref name="baseDirectory"/>).</summary>
    public static IRegistrySource Open(string location, string baseDirectory, HttpClient? http = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new HttpRegistrySource(uri, http ?? SharedHttp.Client)
            : new FolderRegistrySource(Path.GetFullPath(location, baseDirectory));
    }

    private static class SharedHttp
    {
        public static HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };
    }
}

/// <summary>A registry in a folder.</summary>
/// <param name="root">The folder holding <c>index.json</c>.</param>
public sealed class FolderRegistrySource(string root) : IRegistrySource
{
    /// <inheritdoc/>
    public string Location { get; } = root;

    /// <inheritdoc/>
    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(Path.Combine(Location, path));
        if (!full.StartsWith(Path.GetFullPath(Location) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InfraException($"registry {Location}: '{path}' points outside the registry.");
        }

        if (!Directory.Exists(Location))
        {
            throw new InfraException($"registry {Location}: no such folder; check plugins.registry in Pulumi.yaml or --registry.");
        }

        return File.Exists(full) ? await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false) : null;
    }
}

/// <summary>A registry served over HTTP by a plain web server.</summary>
/// <param name="root">The URL of the folder holding <c>index.json</c>.</param>
/// <param name="http">The client.</param>
public sealed class HttpRegistrySource(Uri root, HttpClient http) : IRegistrySource
{
    private readonly Uri _root = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");

    /// <inheritdoc/>
    public string Location => _root.AbsoluteUri;

    /// <inheritdoc/>
    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var uri = new Uri(_root, path);
        if (!uri.AbsoluteUri.StartsWith(_root.AbsoluteUri, StringComparison.Ordinal))
        {
            throw new InfraException($"registry {Location}: '{path}' points outside the registry.");
        }

        try
        {
            using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new InfraException($"registry {Location}: GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new InfraException($"registry {Location}: cannot reach it: {ex.Message}", ex);
        }
    }
}
