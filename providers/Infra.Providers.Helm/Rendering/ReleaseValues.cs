using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// A release's values as helm reads them (JSON is YAML), handed over on helm's standard input rather than in a file:
/// values may hold secrets in cluster mode, which then never touch the disk, and a render creates no file.
/// </summary>
internal sealed class ReleaseValues
{
    private ReleaseValues(string json) => Json = json;

    /// <summary>The values in plaintext, secrets revealed.</summary>
    public string Json { get; }

    /// <summary>The values of a release.</summary>
    public static ReleaseValues Of(PropertyMap values) => new(PropertyJson.ToJson(values.RevealAll(), PropertyJsonMode.Plaintext));
}
