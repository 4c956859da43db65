using Infra.Plugins.Manifest;

namespace Infra.Plugins.Conformance;

/// <summary>
/// The conformance suite every plugin passes before it is published: <c>./infra plugin test PATH</c>. It builds a
/// source folder first (<c>npm ci</c> and <c>tsc</c>, <c>javac</c>; the manifest's <c>build</c> steps), then runs
/// the provider or policy checks against the fixture in <c>conformance.json</c>.
/// </summary>
public static class PluginConformance
{
    /// <summary>Builds and tests the plugin in <paramref name="directory"/>.</summary>
    /// <exception cref="ConfigException">The manifest or fixture is missing or malformed.</exception>
    /// <exception cref="PluginException">A build step failed.</exception>
    public static async Task<ConformanceReport> RunAsync(string directory, ConformanceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var manifest = PluginManifest.Load(directory);
        if (options.Build)
        {
            await PluginBuilder.BuildAsync(manifest, options.Log, cancellationToken).ConfigureAwait(false);
        }

        var fixture = ConformanceFixture.Load(manifest.Directory);
        try
        {
            var checks = manifest.Kind == PluginManifest.ProviderKind
                ? await new ProviderConformance(manifest, fixture, options).RunAsync(cancellationToken).ConfigureAwait(false)
                : await new PolicyConformance(manifest, fixture, options).RunAsync(cancellationToken).ConfigureAwait(false);
            return new ConformanceReport($"{manifest.Name}@{manifest.Version}", checks);
        }
        finally
        {
            Directory.Delete(fixture.TemporaryDirectory, recursive: true);
        }
    }
}
