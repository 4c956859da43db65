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
    ];
}
