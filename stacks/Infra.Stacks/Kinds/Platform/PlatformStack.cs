using Infra.Components.Database;
using Infra.Providers.Random;
using Infra.Tenancy;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// The <c>platform</c> stack kind: what all tenants share. It holds the platform's identity and the admin credential
/// of its shared services; given the tenant server's admin connection (<c>postgres:connectionString</c>), it closes
/// that server's shared databases to tenants (<see cref="SharedDatabases"/>, with <c>platform:stateDatabase</c>) and
/// monitors them. Through the <c>kubernetes:*</c> target (GitOps by default) it declares the shared layer:
/// <list type="bullet">
/// <item><description>the namespaces <c>platform</c>, <c>ingress-nginx</c>, <c>monitoring</c>, <c>logging</c> and
/// <c>tracing</c> (<see cref="SharedNamespaces"/>), and a PriorityClass per plan tier (<see cref="TierPriorityClasses"/>);</description></item>
/// <item><description>ingress-nginx, cert-manager, Sealed Secrets and Argo Rollouts (<see cref="ClusterServices"/>);</description></item>
/// <item><description>kube-prometheus-stack with the platform's rules, dashboards and alert routing, the tenant
/// scrape and postgres_exporter (<see cref="MonitoringLayer"/>);</description></item>
/// <item><description>ECK, Elasticsearch, Kibana and Fluent Bit with a data stream per tenant (<see cref="LoggingLayer"/>);</description></item>
/// <item><description>the OpenTelemetry Operator, a Collector, Tempo and .NET auto-instrumentation (<see cref="TracingLayer"/>);</description></item>
/// <item><description>Flux's GitRepository and a Kustomization per stack folder (<see cref="FluxSync"/>);</description></item>
/// <item><description>with <c>platform:pitrRepository</c>, WAL archiving of the tenants' server into a pgBackRest stanza
/// and its first full backup (<c>postgres:index:WalArchive</c>), which <c>infra dr drill</c> restores to a point in time.</description></item>
/// </list>
/// Chart versions are pinned in <c>environments/platform-charts.yaml</c>; see <see cref="PlatformSettings"/> for the
/// config, all of which has defaults.
/// </summary>
public sealed class PlatformStack : Stack
{
    /// <summary>The Pod Security Standards version the namespaces pin.</summary>
    public const string PodSecurityVersion = "v1.34";

    /// <summary>Declares the platform stack.</summary>
    public PlatformStack(StackContext context) : base(context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = PlatformSettings.Read(context);
        var platformId = new RandomUuid("platform-id");
        var adminPassword = new RandomPassword("platform-admin", new RandomPasswordArgs { Length = 32, Special = false });
        if (context.Config.Keys.Contains("postgres:connectionString"))
        {
            _ = new SharedDatabases("tenant-server", context.Config.Get("platform:stateDatabase"));
        }

        if (settings.PointInTimeRecovery is { } pitr)
        {
            _ = new Providers.Postgres.WalArchive("tenant-server-wal-archive", new Providers.Postgres.WalArchiveArgs { Repository = pitr.Repository, Stanza = pitr.Stanza });
        }

        var namespaces = SharedNamespaces.Declare(PodSecurityVersion);
        TierPriorityClasses.Declare(settings.Plans);
        var releases = new PlatformReleases(settings.Charts, namespaces);
        var certManager = ClusterServices.Declare(releases);
        var monitoring = MonitoringLayer.Declare(context, settings, releases, namespaces[PlatformNamespaces.Monitoring]);
        LoggingLayer.Declare(settings, releases, namespaces[PlatformNamespaces.Logging]);
        TracingLayer.Declare(releases, namespaces[PlatformNamespaces.Tracing], certManager, monitoring);
        FluxSync.Declare(context.StackName, settings);

        context.Export("platformId", platformId.Result);
        context.Export("adminPassword", adminPassword.Result);
        context.ExportValue("namespaces", SharedNamespaces.All.Select(static n => n.Name).ToList());
        context.ExportValue("tenants", settings.Tenants.Select(static t => t.Id).ToList());
    }
}
