namespace Infra.Policies.Kubernetes;

/// <summary>
/// A container image reference split the way the container runtime reads it: <c>nginx:1.27</c> is
/// <c>docker.io/library/nginx</c> tag <c>1.27</c>; <c>ghcr.io/acme/app@sha256:...</c> is pinned by digest.
/// </summary>
/// <param name="Registry">The registry host (lower case), <c>docker.io</c> when the reference names none.</param>
/// <param name="Repository">The repository path within the registry.</param>
/// <param name="Tag">The tag, or <see langword="null"/> when untagged.</param>
/// <param name="Digest">The digest (<c>sha256:...</c>), or <see langword="null"/>.</param>
public sealed record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The registry assumed when a reference names none.</summary>
    public const string DefaultRegistry = "docker.io";

    /// <summary><c>registry/repository</c>, e.g. <c>docker.io/library/nginx</c>.</summary>
    public string Location => $"{Registry}/{Repository}";

    /// <summary>Parses an image reference.</summary>
    /// <exception cref="FormatException">The reference is empty.</exception>
    public static ImageReference Parse(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var text = image.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("An image reference must not be empty.");
        }

        string? digest = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            text = text[..at];
        }

        string? tag = null;
        var colon = text.LastIndexOf(':');
        if (colon > text.LastIndexOf('/'))
        {
            tag = text[(colon + 1)..];
            text = text[..colon];
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : text[..slash];
        // The first component is a registry only if it looks like a host: "ghcr.io", "localhost", "host:5000".
        if (slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            return new ImageReference(first.ToLowerInvariant(), text[(slash + 1)..], NullIfEmpty(tag), NullIfEmpty(digest));
        }

        var repository = slash < 0 ? "library/" + text : text;
        return new ImageReference(DefaultRegistry, repository, NullIfEmpty(tag), NullIfEmpty(digest));
    }

    /// <summary>The reference in full form, e.g. <c>docker.io/library/nginx:1.27</c>.</summary>
    public override string ToString() => Location + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
