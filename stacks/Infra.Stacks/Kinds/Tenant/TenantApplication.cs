using Infra.Components.Kubernetes;
using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;
using Infra.Tenancy;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>The tenant database as its application reaches it; the password and connection string are secrets.</summary>
internal sealed record DatabaseEndpoint(
    Output<string> Host, Output<int> Port, Output<string> Name, Output<string> User, Output<string> Password, Output<string> ConnectionString);

/// <summary>
/// The Kubernetes part of a tenant: its isolated, plan-sized <see cref="TenantNamespace"/> (whose database egress
/// allow is the tenant database's endpoint), the database credentials as a <see cref="KubernetesSecret"/> (a
/// SealedSecret in GitOps mode, so git never holds them in plaintext), and the tenant's release of the platform
/// application (<c>deploy/charts/platform</c>), configured and branded for the tenant and given the Secret by name.
/// </summary>
internal sealed class TenantApplication
{
    /// <summary>The platform application's chart, relative to the project.</summary>
    public const string Chart = "deploy/charts/platform";

    /// <summary>The release's name; the chart names its objects after it.</summary>
    public const string ReleaseName = TenantStack.ApplicationName;

    /// <summary>The Secret holding the database credentials, in the tenant's namespace.</summary>
    public const string DatabaseSecret = "tenant-db";

    private TenantApplication(TenantNamespace space, KubernetesSecret secret, string url)
    {
        Namespace = space.NamespaceName;
        SecretName = secret.SecretName;
        Url = url;
    }

    /// <summary>The tenant's namespace, <c>tenant-&lt;id&gt;</c>.</summary>
    public Output<string> Namespace { get; }

    /// <summary>The name of the Secret with the database credentials.</summary>
    public Output<string> SecretName { get; }

    /// <summary>Where the tenant's application is served.</summary>
    public string Url { get; }

    /// <summary>Declares the namespace, the credentials Secret and the release.</summary>
    public static TenantApplication Declare(TenantSettings tenant, DatabaseEndpoint database)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(database);
        var plan = tenant.Plan;
        var space = new TenantNamespace(tenant.Id, new TenantNamespaceArgs
        {
            TenantId = tenant.Id,
            Size = plan.Namespace,
            AdminGroup = tenant.AdminGroup,
            DatabaseCidr = tenant.DatabaseCidr is { } cidr
                ? Output.Create(cidr)
                : database.Host.Apply(static host => DatabaseAddress.CidrOf(host)
                    ?? throw new InfraException($"the database host {ErrorText.Quote(host)} is not an IP address; set config 'tenant:databaseCidr' to its address range.")),
            DatabasePort = database.Port,
            Protect = plan.Protect,
        });
        var inNamespace = new CustomResourceOptions { DependsOn = [space] };

        var secret = new KubernetesSecret($"{tenant.Id}-database-secret", new KubernetesSecretArgs
        {
            Name = DatabaseSecret,
            Namespace = space.NamespaceName,
            Labels = new InputMap<string> { [TenantConventions.LabelKey] = tenant.Id },
            StringData = new InputMap<string>
            {
                ["host"] = database.Host,
                ["port"] = database.Port.Apply(static port => port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["database"] = database.Name,
                ["username"] = database.User,
                ["password"] = database.Password,
                ["url"] = database.ConnectionString,
            },
        }, inNamespace);

        _ = new HelmRelease($"{tenant.Id}-app", new HelmReleaseArgs
        {
            Name = ReleaseName,
            Namespace = space.NamespaceName,
            Chart = Chart,
            Values = PlatformValues.For(tenant, space.PriorityClassName, secret.SecretName),
        }, inNamespace with { DependsOn = [space, secret] });

        return new TenantApplication(space, secret, $"https://{tenant.Host}/");
    }
}
