using System.Diagnostics;
using System.Text.Json;
using Infra.Stacks.Kinds.Tenant;
using Infra.TestSupport;

namespace Infra.Bench.Tenants;

/// <summary>
/// The baseline: the real <c>helm template</c> of the platform chart once per tenant, with the values the tenant stack
/// gives it, its output read and dropped.
/// </summary>
internal sealed class HelmFleet : FleetSide
{
    private const int Samples = 10;

    private readonly DirectoryInfo _work;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _prefix;

    private HelmFleet(string label, int fleet, DirectoryInfo work, IReadOnlyDictionary<string, string> environment, string prefix)
        : base($"helm_template{label}.tenants{fleet}.parallel{Parallel}", $"helm template{label}", "helm", fleet)
    {
        _work = work;
        _environment = environment;
        _prefix = prefix;
    }

    /// <summary>
    /// The single-tenant figure (<c>helm_template{label}.tenant.p50</c>, printed here), then the same parallel warm-up
    /// as the render's, so that neither side is measured colder than the other. Figures end in <paramref name="label"/>;
    /// helm runs with <paramref name="environment"/>.
    /// </summary>
    public static async Task<HelmFleet> PrepareAsync(string prefix, int fleet, IReadOnlyDictionary<string, string> environment, string label)
    {
        var side = new HelmFleet(label, fleet, Directory.CreateTempSubdirectory("infra-bench-helm-"), environment, prefix);
        await side.TemplateAsync($"{prefix}w");
        var samples = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var clock = Stopwatch.StartNew();
            await side.TemplateAsync($"{prefix}s{i}");
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        Figures.Print($"helm_template{label}.tenant.p50", Figures.Percentile(samples, 50), "ms");
        await InParallelAsync(Enumerable.Range(0, 8 * Parallel), i => side.TemplateAsync($"{prefix}x{i}"));
        return side;
    }

    protected override Task RunAsync(int index) => TemplateAsync($"{_prefix}f{index}");

    public override ValueTask DisposeAsync()
    {
        _work.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task TemplateAsync(string id)
    {
        var values = Path.Combine(_work.FullName, $"{id}.json");
        File.WriteAllText(values, JsonSerializer.Serialize(Values(id)));
        var chart = Path.Combine(RepositoryPaths.Root, TenantApplication.Chart);
        var (exitCode, _, error) = await RepositoryTools.RunAsync(RepositoryTools.Helm, RepositoryTools.Root, _environment,
            ["template", TenantApplication.ReleaseName, chart, "--namespace", $"tenant-{id}", "--kube-version", "1.34.0", "--include-crds", "--skip-tests", "-f", values]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"helm template failed: {error}");
        }
    }

    /// <summary>The values the tenant stack gives the chart for a standard tenant, as plain JSON.</summary>
    private static Dictionary<string, object> Values(string id) => new()
    {
        ["tenant"] = new Dictionary<string, object> { ["id"] = id, ["displayName"] = id },
        ["featureFlags"] = new Dictionary<string, object> { ["apiAccess"] = true, ["auditLog"] = true, ["customDomain"] = true, ["sso"] = true },
        ["customDomain"] = string.Empty,
        ["database"] = new Dictionary<string, object> { ["existingSecret"] = TenantApplication.DatabaseSecret },
        ["serviceAccount"] = new Dictionary<string, object> { ["create"] = false, ["name"] = "tenant-app" },
        ["priorityClassName"] = "tenant-standard",
        ["replicaCount"] = 2,
        ["resources"] = new Dictionary<string, object>
        {
            ["requests"] = new Dictionary<string, object> { ["cpu"] = "250m", ["memory"] = "256Mi" },
            ["limits"] = new Dictionary<string, object> { ["cpu"] = "1", ["memory"] = "1Gi" },
        },
    };
}
