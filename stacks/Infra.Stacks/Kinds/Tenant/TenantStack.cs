using Infra.Components.Database;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// The <c>tenant</c> stack kind: one tenant's isolated database (a <see cref="TenantDatabase"/>) sized and backed up
/// by its plan. Config: <c>tenant:id</c>, <c>tenant:plan</c>, <c>tenant:displayName</c>, <c>tenant:branding</c>,
/// <c>postgres:connectionString</c> (secret) and <c>backup:location</c>. Every value is checked before anything
/// is declared, so a bad id or plan stops the run before any SQL. Outputs: <c>databaseHost</c>,
/// <c>databasePort</c>, <c>databaseName</c>, <c>databaseUser</c>, <c>databasePassword</c> (secret) and
/// <c>connectionString</c> (secret), plus <c>tenantId</c>, <c>plan</c>, <c>displayName</c> and <c>branding</c>.
/// </summary>
internal sealed class TenantStack : Stack
{
    public TenantStack(StackContext context) : base(context)
    {
        var config = context.Config;
        var settingsPath = config.Settings.Path;
        var id = config.Get("tenant:id")
            ?? throw new ConfigException(settingsPath, "tenant:id", $"is required but not set; run 'infra config set tenant:id <id> -s {context.StackName}'.");
        if (TenantIds.Problem(id) is { } idProblem)
        {
            throw new ConfigException(settingsPath, "tenant:id", idProblem + ".");
        }

        var plansPath = TenantPlans.PathIn(Path.GetDirectoryName(settingsPath)!);
        var plans = TenantPlans.Load(plansPath);
        var planName = config.Get("tenant:plan")
            ?? throw new ConfigException(settingsPath, "tenant:plan",
                $"is required but not set; run 'infra config set tenant:plan <plan> -s {context.StackName}' with one of {string.Join(", ", plans.Keys.Order(StringComparer.Ordinal))}.");
        var plan = TenantPlans.Select(plans, planName, settingsPath, plansPath);
        var branding = config.GetObject<TenantBranding>("tenant:branding") ?? new TenantBranding();
        if (branding.Problem() is { } brandingProblem)
        {
            throw new ConfigException(settingsPath, "tenant:branding", $"{brandingProblem.Field}: {brandingProblem.Message}.");
        }

        if (config.GetSecret("postgres:connectionString") is null)
        {
            throw new ConfigException(settingsPath, "postgres:connectionString",
                $"is required but not set; run 'infra config set --secret postgres:connectionString <admin connection> -s {context.StackName}'.");
        }

        var database = new TenantDatabase(id, new TenantDatabaseArgs
        {
            TenantId = id,
            ConnectionLimit = plan.ConnectionLimit,
            BackupSchedule = plan.BackupSchedule,
            BackupRetentionDays = plan.BackupRetentionDays,
            Protect = plan.Protect,
        });

        context.Export("databaseHost", database.Host);
        context.Export("databasePort", database.Port);
        context.Export("databaseName", database.DatabaseName);
        context.Export("databaseUser", database.User);
        context.Export("databasePassword", database.Password);
        context.Export("connectionString", database.ConnectionString);
        context.ExportValue("tenantId", id);
        context.ExportValue("plan", plan.Name);
        context.ExportValue("displayName", config.Get("tenant:displayName") ?? id);
        context.ExportValue("branding", new Dictionary<string, object?>
        {
            ["primaryColor"] = branding.PrimaryColor,
            ["logoUrl"] = branding.LogoUrl,
            ["customDomain"] = branding.CustomDomain,
        });
    }
}
