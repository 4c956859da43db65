using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Tenant;

/// <summary>The <c>infra tenant</c> command group: backup and restore of one tenant's database, and the decision on its blue-green release.</summary>
internal static class TenantCommands
{
    public static void Register(IConfigurator config) => config.AddBranch("tenant", tenant =>
    {
        tenant.SetDescription("Back up and restore a tenant's database, promote or abort its blue-green release, and show tenants' usage against their plans.");
        tenant.AddCommand<TenantBackupCommand>("backup").WithDescription("pg_dump the tenant's database (--all: every tenant's) to backup:location, with a manifest, pruning past the plan's retention; prints the dump's path last.");
        tenant.AddCommand<TenantUsageCommand>("usage").WithDescription("Each tenant's database size and connections, read live from PostgreSQL, against its plan (--json: only JSON on stdout).");
        tenant.AddCommand<TenantPromoteCommand>("promote").WithDescription("Promote the tenant's blue-green release once its analysis passed: a GitOps commit of its Rollout, or a status patch in cluster mode.");
        tenant.AddCommand<TenantAbortCommand>("abort").WithDescription("Abort the tenant's blue-green release and keep the stable version: a GitOps commit of its Rollout, or a status patch in cluster mode.");
        tenant.AddCommand<TenantRestoreCommand>("restore").WithDescription("Verify a backup's checksum and tenant, then pg_restore it (--to for a new database).");
    });
}
