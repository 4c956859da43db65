using Infra.Providers.Helm.Rendering;
using Infra.Stacks.Kinds.Tenant;

namespace Infra.Bench.Tenants;

/// <summary>
/// How long rendering tenants' GitOps folders takes: one tenant (the median of several) and 500 tenants 8 at a time,
/// each an <c>up</c> that writes the tenant's folder and commits it. With the database: the whole tenant stack.
/// Without: only its Kubernetes part (namespace, sealed credentials, release), declared by the same
/// <see cref="TenantApplication"/> against a fixed database endpoint. The baseline is the real <c>helm template</c>
/// of the platform chart once per tenant, with the same values, at the same parallelism.
/// </summary>
/// <remarks>
/// The render and its baselines take turns in <see cref="Stretches"/> stretches of the fleet (<see cref="FleetSide.InTurnsAsync"/>):
/// plain <c>helm template</c> of the same 500 tenants moved from 47 to 66 s between back-to-back runs on one machine,
/// so a ratio of one side's whole fleet to the other's, run minutes apart, read the machine as much as the render.
/// Each figure is still its side's whole fleet: the stretches' times added up.
/// </remarks>
internal static class GitOpsBenchmarks
{
    private const int DefaultFleet = 500;
    // Six, so that with two or three sides each side runs first, in the middle and last equally often. Each stretch
    // ends with the last tenants running fewer than eight at a time, on every side.
    private const int Stretches = 6;

    /// <summary>The Kubernetes part alone, as the tenant stack declares it, for a database at a fixed address.</summary>
    private static readonly StackProgram s_kubernetesOnly = StackProgram.FromDelegate(context =>
    {
        var tenant = TenantSettings.Read(context, requireDatabase: false);
        var name = $"tenant_{tenant.Id}";
        var password = Output.CreateSecret($"bench-password-{tenant.Id}");
        TenantApplication.Declare(tenant, new DatabaseEndpoint(
            Output.Create("10.20.0.15"), Output.Create(5432), Output.Create(name), Output.Create(name), password,
            password.Apply(p => $"postgresql://{name}:{p}@10.20.0.15:5432/{name}")));
    });

    public static async Task RunAsync(string admin, (string Key, string Value)[] kubernetes)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        await using (var whole = await RenderFleet.PrepareAsync("with_database", StackProgram.FromStack<TenantStack>(), admin, kubernetes, $"d{run}", DefaultFleet))
        {
            await FleetSide.InTurnsAsync([whole], stretches: 1);
            await whole.VerifyAsync();
            await whole.ReportAsync();
        }

        await using var render = await RenderFleet.PrepareAsync("without_database", s_kubernetesOnly, admin: null, kubernetes, $"k{run}", DefaultFleet);
        await using var helm = await HelmFleet.PrepareAsync($"h{run}", DefaultFleet, new Dictionary<string, string>(), label: string.Empty);
        await FleetSide.InTurnsAsync([render, helm], Stretches);
        await render.VerifyAsync();
        await render.ReportAsync();
        await helm.ReportAsync();
    }

    /// <summary>
    /// The Kubernetes part of <paramref name="fleet"/> tenants rendered into one GitOps tree, against <c>helm template</c>
    /// for the same tenants, both 8 at a time and taking turns; prints every fleet figure and returns the render's ratio
    /// to plain <c>helm template</c>. It also prints the ratio against <c>helm template</c> run with the garbage-collector
    /// setting the helm provider gives helm (<see cref="HelmBinary.GarbageCollection"/>): the baseline is plain
    /// <c>helm template</c>, and that second ratio shows how much of the render's lead comes from tuning helm rather
    /// than from our own overhead.
    /// </summary>
    public static async Task<double> RenderRatioAsync((string Key, string Value)[] kubernetes, int fleet)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        await using var render = await RenderFleet.PrepareAsync("without_database", s_kubernetesOnly, admin: null, kubernetes, $"k{run}", fleet);
        await using var helm = await HelmFleet.PrepareAsync($"h{run}", fleet, new Dictionary<string, string>(), label: string.Empty);
        await using var tuned = await HelmFleet.PrepareAsync($"g{run}", fleet, HelmBinary.GarbageCollection, label: ".same_gc");
        await FleetSide.InTurnsAsync([render, helm, tuned], Stretches);
        await render.VerifyAsync();
        await render.ReportAsync();
        await helm.ReportAsync();
        await tuned.ReportAsync();
        Figures.Print($"gitops.tenants{fleet}.render_over_helm_template_same_gc", render.Wall / tuned.Wall, "x");
        return render.Wall / helm.Wall;
    }
}
