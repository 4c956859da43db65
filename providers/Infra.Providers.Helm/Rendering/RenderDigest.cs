using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// What a local chart's render depends on, as one SHA-256: every file of the chart folder, the helm executable (path,
/// size and modification time: a new helm renders again), the Kubernetes version rendered for, and the release's
/// name, namespace and values. Equal digests give equal renders, so a render can be reused instead of running
/// <c>helm template</c> again.
/// </summary>
/// <remarks>
/// The chart's files are read synchronously: they are small and local, and .NET's asynchronous file reads on Linux run
/// the same blocking calls on a thread-pool thread, so each file only added a hand-off to another thread and back, for
/// every release checked.
/// </remarks>
internal static class RenderDigest
{
    public static string Compute(ReleaseSpec release, string chartPath, string helm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        var executable = new FileInfo(helm);
        Add(helm);
        Add(executable.Exists ? executable.Length.ToString(CultureInfo.InvariantCulture) : "-");
        Add(executable.Exists ? executable.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) : "-");
        Add(ChartRenderer.KubeVersion);
        Add(release.Name);
        Add(release.Namespace);
        Add(PropertyJson.ToJson(release.Values, PropertyJsonMode.Plaintext));
        foreach (var file in Directory.EnumerateFiles(chartPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Add(Path.GetRelativePath(chartPath, file));
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = File.ReadAllBytes(file);
            Add(bytes.Length.ToString(CultureInfo.InvariantCulture));
            hash.AppendData(bytes);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
