using System.Diagnostics;
using Infra.Automation;
using Infra.Stacks.Kinds.Platform;
using Infra.TestSupport;

namespace Infra.Bench.Tenants;

/// <summary>
/// Rendering the whole platform stack (the shared layer, with 50 tenant stacks for it to follow): the first <c>up</c>,
/// then a no-change <c>preview</c> in the same process and from a new workspace (fresh providers, as a new process has),
/// against the baseline of the real <c>kubectl kustomize</c> reading the same folder. Target: the no-change preview at
/// most 2 s. Runs on a PostgreSQL of its own: the platform closes the server's shared databases to tenants.
/// </summary>
internal static class PlatformBenchmarks
{
    private const int Tenants = 50;
    private const int Samples = 10;
    private static readonly string[] s_plans = ["free", "standard", "enterprise"];

    public static async Task RunAsync((string Key, string Value)[] kubernetes)
    {
        await using var server = await PostgresServer.StartOwnAsync();
        using var folder = new CliProject();
        Workspace Open() => BenchWorkspace.Open(folder.Directory);
        var program = StackProgram.FromStack<PlatformStack>();

        await using (var setup = Open())
        {
            for (var i = 0; i < Tenants; i++)
            {
                var tenant = await setup.CreateStackAsync($"tenant-t{i:000}");
                await tenant.SetConfigAsync("infra:kind", "tenant");
                await tenant.SetConfigAsync("tenant:id", $"t{i:000}");
                await tenant.SetConfigAsync("tenant:plan", s_plans[i % s_plans.Length]);
            }

            var platform = await setup.CreateStackAsync("platform");
            foreach (var (key, value) in kubernetes.Append(("infra:kind", "platform")).Append(("platform:gitopsUrl", "https://git.example.com/gitops.git")))
            {
                await platform.SetConfigAsync(key, value);
            }

            await platform.SetConfigAsync("postgres:connectionString", server.ConnectionString(), secret: true);
        }

        await using var workspace = Open();
        var stack = await workspace.SelectStackAsync("platform");
        var clock = Stopwatch.StartNew();
        var up = await stack.UpAsync(new UpOptions { Program = program });
        Figures.Print("platform.up", clock.Elapsed.TotalMilliseconds, "ms");
        Figures.Print("platform.resources", up.Steps.Length, "count");
        var gitops = Path.Combine(folder.GitOpsPath, "platform");
        Figures.Print("platform.files", Directory.EnumerateFiles(gitops, "*.yaml", SearchOption.AllDirectories).Count(), "count");

        var same = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            clock.Restart();
            var preview = await stack.PreviewAsync(new PreviewOptions { Program = program });
            same.Add(clock.Elapsed.TotalMilliseconds);
            if (preview.HasChanges)
            {
                throw new InvalidOperationException("a no-change preview of the platform stack planned changes");
            }
        }

        Figures.Print("platform.preview.nochange.p50", Figures.Percentile(same, 50), "ms");
        var fresh = new List<double>();
        for (var i = 0; i < Samples / 2; i++)
        {
            clock.Restart();
            await using var another = Open();
            await (await another.SelectStackAsync("platform")).PreviewAsync(new PreviewOptions { Program = program });
            fresh.Add(clock.Elapsed.TotalMilliseconds);
        }

        Figures.Print("platform.preview.nochange.new_workspace.p50", Figures.Percentile(fresh, 50), "ms");
        var kustomize = new List<double>();
        for (var i = 0; i < Samples / 2; i++)
        {
            clock.Restart();
            var build = await RepositoryTools.RunAsync(RepositoryTools.Kubectl, gitops, "kustomize", gitops);
            kustomize.Add(clock.Elapsed.TotalMilliseconds);
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"kubectl kustomize failed: {build.Error}");
            }
        }

        Figures.Print("baseline.kubectl_kustomize.p50", Figures.Percentile(kustomize, 50), "ms");
    }
}
