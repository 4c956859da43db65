using Infra.Automation;
using Infra.Hosting;

namespace Infra.Bench.Tenants;

/// <summary>Opens a benchmark project in-process with the CLI's providers and state backends, in an empty environment.</summary>
internal static class BenchWorkspace
{
    public const string Passphrase = "benchmark passphrase";

    public static Workspace Open(string directory) => Workspace.OpenAsync(new WorkspaceOptions
    {
        ProjectDirectory = directory,
        Passphrase = Passphrase,
        Providers = ProviderCatalog.All,
        StateBackends = StateBackendCatalog.All,
        Environment = new Dictionary<string, string?>(),
    }).GetAwaiter().GetResult();
}
