using Infra.Cli.Commands.Tenant;
using Spectre.Console.Cli;

namespace Infra.Cli;

/// <summary>
/// Command groups contributed by other parts of the product (tenant backup, policy packs). Each registers its own
/// branch from its own folder, so the core command table stays small: add one line here per group.
/// </summary>
internal static class CliExtensions
{
    public static IReadOnlyList<Action<IConfigurator>> All { get; } =
    [
        static config => config.AddBranch("policy", policy =>
        {
            policy.SetDescription("List and test policy packs.");
            policy.AddCommand<Commands.PolicyListCommand>("ls").WithDescription("List policy packs, their policies and levels.");
            policy.AddCommand<Commands.PolicyTestCommand>("test").WithDescription("Run policy packs against a saved plan, touching no stack.");
        }),
        TenantCommands.Register,
        static config => config.AddBranch("state", state =>
        {
            state.SetDescription("Protect the state backend.");
            state.AddCommand<Commands.StateBackupCommand>("backup").WithDescription("Snapshot the state backend (SQLite online backup or pg_dump of the state schema) with a manifest; prints its path last.");
        }),
        static config => config.AddBranch("dr", dr =>
        {
            dr.SetDescription("Disaster recovery: drills of the whole server (point in time) and of tenant backups.");
            dr.AddCommand<Commands.Dr.DrDrillCommand>("drill").WithDescription("Restore the whole tenants' server to now from its pgBackRest archive and check every tenant database; --tenants: restore each tenant's newest backup and compare it with live.");
        }),
        static config => config.AddBranch("sla", sla =>
        {
            sla.SetDescription("Service level reports from Prometheus.");
            sla.AddCommand<Commands.Sla.SlaReportCommand>("report").WithDescription("A month's availability, error budget and worst windows per SLO and tenant (md, html with a chart, or json).");
        }),
        static config => config.AddBranch("plugin", plugin =>
        {
            plugin.SetDescription("Find, install, publish and test plugins.");
            plugin.AddCommand<Commands.Plugin.PluginSearchCommand>("search").WithDescription("Find plugins in the registry.");
            plugin.AddCommand<Commands.Plugin.PluginInfoCommand>("info").WithDescription("Show a plugin's versions, needs and signatures.");
            plugin.AddCommand<Commands.Plugin.PluginInstallCommand>("install").WithDescription("Install the plugins Pulumi.yaml requires (verified) and write plugins.lock.");
            plugin.AddCommand<Commands.Plugin.PluginListCommand>("ls").WithDescription("List the project's locked plugins.");
            plugin.AddCommand<Commands.Plugin.PluginRemoveCommand>("remove").WithDescription("Stop requiring a plugin and uninstall it.");
            plugin.AddCommand<Commands.Plugin.PluginPublishCommand>("publish").WithDescription("Pack, sign and publish a plugin into a registry folder.");
            plugin.AddCommand<Commands.Plugin.PluginKeygenCommand>("keygen").WithDescription("Create a publisher key pair.");
            plugin.AddCommand<Commands.Plugin.PluginTestCommand>("test").WithDescription("Build a plugin and run the conformance suite.");
        }),
    ];
}
