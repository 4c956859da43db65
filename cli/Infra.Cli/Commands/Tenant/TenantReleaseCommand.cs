using Infra.Automation;
using Infra.Components.Kubernetes.Rollouts;
using Infra.Hosting;
using Infra.Providers.Kubernetes;
using Infra.Stacks.Kinds.Tenant;
using Infra.Tenancy;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Tenant;

/// <summary>
/// <c>infra tenant promote -s S</c> and <c>infra tenant abort -s S</c>: the decision on a tenant's blue-green release
/// waiting behind its preview Service (<see cref="BlueGreenActions"/>). In GitOps mode it is a commit of the stack's
/// Rollout, pushed like an update's; in cluster mode, a patch of the Rollout's status, as Argo's plugin does.
/// </summary>
internal abstract class TenantReleaseCommand(BlueGreenAction action) : AsyncCommand<GlobalSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GlobalSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var (target, space) = Target(stack);
        var verb = action == BlueGreenAction.Promote ? "promote" : "abort";
        if (target.Mode == KubernetesMode.GitOps)
        {
            var commit = await BlueGreenActions.CommitAsync(target, stack.Name, space, TenantStack.ApplicationName, action, cancellationToken).ConfigureAwait(false);
            CliConsole.Out.MarkupLine(Markup.Escape(
                $"Committed the {verb} of Rollout {space}/{TenantStack.ApplicationName} to the GitOps tree ({commit[..12]}{(target.GitOpsRemote is null ? ", local only" : $", pushed to {target.GitOpsRemote}")})."));
        }
        else
        {
            await BlueGreenActions.PatchClusterAsync(target, space, TenantStack.ApplicationName, action, cancellationToken).ConfigureAwait(false);
            CliConsole.Out.MarkupLine(Markup.Escape($"Patched the status of Rollout {space}/{TenantStack.ApplicationName}: {verb}."));
        }

        if (action == BlueGreenAction.Abort)
        {
            CliConsole.Out.MarkupLine(Markup.Escape(
                $"The stack still declares the new version: change it (or 'infra stack rollback -s {stack.Name} --to N') before the next up, or that up releases it again."));
        }

        return ExitCodes.Success;
    }

    private static (KubernetesSettings Target, string Namespace) Target(WorkspaceStack stack)
    {
        var config = stack.GetConfig();
        if (config.Get(StackKinds.KindKey) != "tenant")
        {
            throw new ConfigException(config.Settings.Path, StackKinds.KindKey, $"is {ErrorText.Quote(config.Get(StackKinds.KindKey))}; promote and abort act on a tenant stack's blue-green release.");
        }

        var id = config.Get("tenant:id");
        if (TenantConventions.IdProblem(id) is { } problem)
        {
            throw new ConfigException(config.Settings.Path, "tenant:id", $"{ErrorText.Quote(id)} {problem}.");
        }

        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = Environment.GetEnvironmentVariable("KUBECONFIG") };
        var target = KubernetesSettings.FromConfig(config.ForNamespace(KubernetesSettings.ConfigNamespace), stack.Workspace.Project.Directory, environment);
        return (target, TenantConventions.NamespaceOf(id!));
    }
}

/// <summary><c>infra tenant promote</c>.</summary>
internal sealed class TenantPromoteCommand() : TenantReleaseCommand(BlueGreenAction.Promote);

/// <summary><c>infra tenant abort</c>.</summary>
internal sealed class TenantAbortCommand() : TenantReleaseCommand(BlueGreenAction.Abort);
