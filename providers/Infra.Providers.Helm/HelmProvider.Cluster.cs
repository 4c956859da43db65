using System.Text.Json;
using Infra.Providers.Helm.Rendering;
using Infra.Values;

namespace Infra.Providers.Helm;

public sealed partial class HelmProvider
{
    private async Task<PropertyMap> UpgradeInstallAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var release = ReleaseSpec.Of(inputs);
        List<string> arguments =
        [
            "upgrade", "--install", release.Name, ChartReference(release), "--namespace", release.Namespace, "--create-namespace",
            .. HelmBinary.ValuesFromInput, "--rollback-on-failure", "--wait=watcher", "--timeout", release.Timeout, .. ClusterArguments(),
        ];
        if (release.Version is { } version)
        {
            arguments.AddRange(["--version", version]);
        }

        if (release.RepositoryUrl is { } url && !url.StartsWith("oci://", StringComparison.Ordinal))
        {
            arguments.AddRange(["--repo", url]);
        }

        var result = await _helm.Value.RunAsync(arguments, cancellationToken, ReleaseValues.Of(release.Values)).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ResourceException(urn, $"helm upgrade --install of release '{release.Namespace}/{release.Name}' failed and was rolled back: {result.Message}");
        }

        var status = await StatusAsync(inputs, cancellationToken).ConfigureAwait(false) ?? "unknown";
        return inputs.SetItem("status", PropertyValue.Create(status));
    }

    private async Task UninstallAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var release = ReleaseSpec.Of(inputs);
        var result = await _helm.Value.RunAsync(["uninstall", release.Name, "--namespace", release.Namespace, "--wait", .. ClusterArguments()], cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0 && !result.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            throw new ResourceException(urn, $"helm uninstall of release '{release.Namespace}/{release.Name}' failed: {result.Message}");
        }
    }

    /// <summary>The release's status (<c>deployed</c>, <c>failed</c>...), or <see langword="null"/> when it is not installed.</summary>
    private async Task<string?> StatusAsync(PropertyMap inputs, CancellationToken cancellationToken)
    {
        var release = ReleaseSpec.Of(inputs);
        var result = await _helm.Value.RunAsync(["status", release.Name, "--namespace", release.Namespace, "--output", "json", .. ClusterArguments()], cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            return result.Message.Contains("not found", StringComparison.OrdinalIgnoreCase)
                ? null
                : throw new InfraException($"helm status of release '{release.Namespace}/{release.Name}' failed: {result.Message}");
        }

        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.TryGetProperty("info", out var info) && info.TryGetProperty("status", out var status) ? status.GetString() : "unknown";
    }

    private string ChartReference(ReleaseSpec release) => release.RepositoryUrl switch
    {
        null => ChartPath(release),
        var url when url.StartsWith("oci://", StringComparison.Ordinal) => $"{url.TrimEnd('/')}/{release.Chart}",
        _ => release.Chart,
    };

    private IEnumerable<string> ClusterArguments()
    {
        yield return "--kubeconfig";
        yield return _kubernetes.Kubeconfig!;
        if (_kubernetes.Context is { } context)
        {
            yield return "--kube-context";
            yield return context;
        }
    }
}
