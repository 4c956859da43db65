using System.Collections.Immutable;
using Infra.Automation;
using Infra.Configuration;
using Infra.Hosting;

namespace Infra.Cli;

/// <summary>Opens the project's workspace for a command and resolves which stack it targets.</summary>
internal static class CliWorkspace
{
    private const string SelectedStackFile = "current-stack";

    /// <param name="settings">The command's settings.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <param name="policyPacks">Told which policy packs an operation on a stack runs.</param>
    public static async Task<Workspace> OpenAsync(GlobalSettings settings, CancellationToken cancellationToken, Action<string, Policies.PolicyPackSet>? policyPacks = null)
    {
        var project = ProjectFile.Find(settings.Cwd ?? Directory.GetCurrentDirectory());
        // Operations refuse to run when a plugin the project needs is missing or does not match plugins.lock.
        var plugins = settings is OperationSettings
            ? await CliPlugins.LoadAsync(project.Directory, cancellationToken).ConfigureAwait(false)
            : CliPlugins.None;
        return await Workspace.OpenAsync(HostWorkspaces.Options(
            project.Directory,
            providers: [.. CliHost.Current.Providers ?? ProviderCatalog.All, .. plugins.Providers],
            programResolver: CliHost.Current.ProgramResolver,
            policyResolver: PolicyCatalogHook.Resolver(settings is OperationSettings operation ? operation.PolicyPacks : [], plugins.Packs, project, policyPacks)) with
        {
            // Set when this CLI was built from an older commit to roll back with ('stack rollback --program').
            ProgramVersion = Environment.GetEnvironmentVariable(Commands.Rollback.OlderProgram.VersionVariable) is { Length: > 0 } version ? version : null,
        },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stack named by <c>--stack</c>, else the selected one.</summary>
    /// <exception cref="InfraException">No stack is named or selected, or it does not exist.</exception>
    public static async Task<WorkspaceStack> StackAsync(Workspace workspace, GlobalSettings settings, CancellationToken cancellationToken)
    {
        var name = settings.Stack ?? ReadSelected(workspace)
            ?? throw new InfraException("no stack selected; pass --stack NAME or run 'infra stack select NAME' (or 'infra stack init NAME').");
        return await workspace.SelectStackAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public static string? ReadSelected(Workspace workspace)
    {
        var path = SelectedPath(workspace);
        return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } name ? name : null : null;
    }

    public static void Select(Workspace workspace, string stack)
    {
        var path = SelectedPath(workspace);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, stack + "\n");
    }

    public static void Unselect(Workspace workspace, string stack)
    {
        if (ReadSelected(workspace) == stack)
        {
            File.Delete(SelectedPath(workspace));
        }
    }

    public static T Apply<T>(T options, OperationSettings settings, Action<Deployment.EngineEvent> onEvent) where T : OperationOptions =>
        options with
        {
            OnEvent = onEvent,
            Parallel = settings.Parallel ?? options.Parallel,
            Targets = [.. settings.Targets],
            TargetDependents = settings.TargetDependents,
            Refresh = settings.Refresh,
            ClearPending = settings.ClearPending,
            ImportPending = settings.ImportPending
                .Select(static p => p.Split('=', 2))
                .ToImmutableDictionary(static p => p[0], static p => p[1], StringComparer.Ordinal),
        };

    private static string SelectedPath(Workspace workspace) => Path.Combine(workspace.Project.Directory, ".infra", SelectedStackFile);
}
