using Infra.Components.Database;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// The <c>tenant</c> stack kind: one tenant's isolated database (a <see cref="TenantDatabase"/>) sized and backed up
/// by its plan (what runs the backups: <see cref="TenantBackupRunners"/>), and its Kubernetes part (a <see cref="TenantApplication"/>): the plan-sized namespace
/// <c>tenant-&lt;id&gt;</c>, the database credentials as a sealed Secret and the branded release of the platform
/// application. Config: see <see cref="TenantSettings"/>, plus <c>postgres:connectionString</c> (secret),
/// <c>backup:location</c> and the <c>kubernetes:*</c> target. Every value is checked before anything is declared,
/// so a bad id or plan stops the run before any SQL or file. Outputs: <c>databaseHost</c>, <c>databasePort</c>,
/// <c>databaseName</c>, <c>databaseUser</c>, <c>databasePassword</c> (secret), <c>connectionString</c> (secret),
/// <c>namespace</c>, <c>databaseSecret</c>, <c>url</c>, plus <c>tenantId</c>, <c>plan</c>, <c>displayName</c> and <c>branding</c>.
/// </summary>
public sealed class TenantStack : Stack
{
    /// <summary>
    /// The name of the tenant's application release and of its workload (a Deployment, or the blue-green Rollout that
    /// <c>infra tenant promote</c> and <c>abort</c> act on) in the tenant's namespace.
    /// </summary>
    public const string ApplicationName = "platform";

    /// <summary>Declares the tenant its config names.</summary>
    public TenantStack(StackContext context) : base(context)
    {
        var tenant = TenantSettings.Read(context);
        var plan = tenant.Plan;
        var database = DeclareDatabase(tenant);
        var application = TenantApplication.Declare(tenant, new DatabaseEndpoint(
            database.Host, database.Port, database.DatabaseName, database.User, database.Password, database.ConnectionString));
        TenantBackupRunners.Declare(tenant, context.StackName, database);

        context.Export("databaseHost", database.Host);
        context.Export("databasePort", database.Port);
        context.Export("databaseName", database.DatabaseName);
        context.Export("databaseUser", database.User);
        context.Export("databasePassword", database.Password);
        context.Export("connectionString", database.ConnectionString);
        context.Export("namespace", application.Namespace);
        context.Export("databaseSecret", application.SecretName);
        context.ExportValue("url", application.Url);
        context.ExportValue("tenantId", tenant.Id);
        context.ExportValue("plan", plan.Name);
        context.ExportValue("displayName", tenant.DisplayName);
        context.ExportValue("branding", new Dictionary<string, object?>
        {
            ["primaryColor"] = tenant.Branding.PrimaryColor,
            ["secondaryColor"] = tenant.Branding.SecondaryColor,
            ["logoUrl"] = tenant.Branding.LogoUrl,
            ["customDomain"] = tenant.Branding.CustomDomain,
        });
    }

    /// <summary>
    /// What is wrong with <paramref name="value"/> for the tenant config key <paramref name="key"/> (id pattern, known
    /// plan, domain, range...), in the words a preview would use, or <see langword="null"/>.
    /// </summary>
    /// <param name="key">The full config key.</param>
    /// <param name="value">The value (JSON for structured keys).</param>
    /// <param name="settingsPath">The stack's settings file; the plans file sits beside it.</param>
    public static string? ConfigProblem(string key, string value, string settingsPath) => TenantSettings.Problem(key, value, settingsPath);

    /// <summary>Each plan's database size (bytes) and connection limit, from the plans file beside <paramref name="settingsPath"/>.</summary>
    /// <exception cref="ConfigException">The plans file is missing or invalid.</exception>
    public static IReadOnlyList<(string Plan, long DatabaseSizeBytes, int ConnectionLimit)> PlanQuotas(string settingsPath) =>
        [.. TenantPlans.Load(TenantPlans.PathIn(Path.GetDirectoryName(settingsPath)!)).Values.Select(static p => (p.Name, p.DatabaseSizeBytes, p.ConnectionLimit))];

    /// <summary>The tenant's database, sized, backed up and protected as its plan says.</summary>
    internal static TenantDatabase DeclareDatabase(TenantSettings tenant) => new(tenant.Id, new TenantDatabaseArgs
    {
        TenantId = tenant.Id,
        ConnectionLimit = tenant.Plan.ConnectionLimit,
        BackupSchedule = tenant.Plan.BackupSchedule,
        BackupRetentionDays = tenant.Plan.BackupRetentionDays,
        Protect = tenant.Plan.Protect,
    });
}
