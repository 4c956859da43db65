using System.Text.Json;
using Infra.Plugins.Conformance;
using Infra.Plugins.Projects;
using Infra.Plugins.Registry;
using NuGet.Versioning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Plugin;

/// <summary><c>infra plugin install [NAME]</c>: resolve, verify and install what Pulumi.yaml requires, and write plugins.lock.</summary>
internal sealed class PluginInstallCommand : AsyncCommand<PluginInstallSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PluginInstallSettings settings, CancellationToken cancellationToken)
    {
        var project = settings.Project();
        var registry = settings.OpenRegistry();
        if (settings.Name is { } name)
        {
            var range = settings.Version is { } text ? PluginInstaller.ParseRange(text) : await NewestAsync(registry, name, cancellationToken).ConfigureAwait(false);
            ProjectFileEditor.SetRequirement(project.ProjectDirectory, name, range);
            project = settings.Project();
        }

        var changes = await PluginInstaller.InstallAsync(project, settings.Update, registry, cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(changes, PluginCliJson.Options));
            return ExitCodes.Success;
        }

        foreach (var change in changes)
        {
            CliConsole.Out.MarkupLine($"{change.Action,-9} {Markup.Escape(change.Name)} {Markup.Escape(change.Version)}");
        }

        CliConsole.Out.MarkupLine(changes.IsEmpty ? "The project requires no plugins." : $"Wrote {PluginLock.FileName}.");
        return ExitCodes.Success;
    }

    private static async Task<VersionRange> NewestAsync(IRegistrySource registry, string name, CancellationToken cancellationToken)
    {
        var entry = await new RegistryClient(registry).GetPluginAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new InfraException($"plugin '{name}': the registry {registry.Location} has no such plugin; see 'infra plugin search'.");
        return new VersionRange(entry.Newest().First().SemanticVersion);
    }
}

/// <summary><c>infra plugin ls</c>: the locked plugins, and whether each is installed intact.</summary>
internal sealed class PluginListCommand : Command<RegistrySettings>
{
    public override int Execute(CommandContext context, RegistrySettings settings, CancellationToken cancellationToken)
    {
        var project = settings.Project();
        var lockFile = PluginLock.TryLoad(project.ProjectDirectory) ?? PluginLock.Empty;
        var rows = lockFile.Plugins.Select(p => new
        {
            name = p.Key,
            version = p.Value.Version,
            kind = p.Value.Kind,
            requiredBy = p.Value.RequiredBy,
            status = Status(project.ProjectDirectory, p.Key, p.Value),
        }).ToList();
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(rows, PluginCliJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("NAME", "VERSION", "KIND", "REQUIRED BY", "STATUS");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.name), Markup.Escape(row.version), row.kind, Markup.Escape(string.Join(", ", row.requiredBy)), row.status);
        }

        CliConsole.Out.Write(table);
        return ExitCodes.Success;
    }

    private static string Status(string projectDirectory, string name, LockedPlugin locked)
    {
        var directory = PluginInstaller.DirectoryOf(projectDirectory, name, locked.Version);
        return !Directory.Exists(directory) ? "not installed"
            : PluginPackage.TreeDigest(directory) == locked.Tree ? "installed" : "changed since install";
    }
}

/// <summary><c>infra plugin remove NAME</c>: drop it from plugins.require and uninstall it.</summary>
internal sealed class PluginRemoveCommand : AsyncCommand<PluginNameSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PluginNameSettings settings, CancellationToken cancellationToken)
    {
        var project = settings.Project();
        var lockFile = PluginLock.TryLoad(project.ProjectDirectory) ?? PluginLock.Empty;
        if (PluginInstaller.Dependents(lockFile, settings.Name) is { IsEmpty: false } dependents)
        {
            throw new InfraException($"plugin '{settings.Name}': needed by {string.Join(", ", dependents)}; remove those first.");
        }

        if (!ProjectFileEditor.RemoveRequirement(project.ProjectDirectory, settings.Name) && !lockFile.Plugins.ContainsKey(settings.Name))
        {
            throw new InfraException($"plugin '{settings.Name}': the project neither requires nor has it installed; see 'infra plugin ls'.");
        }

        project = settings.Project();
        var registry = project.Requirements.IsEmpty ? null : settings.OpenRegistry();
        foreach (var change in await PluginInstaller.InstallAsync(project, update: false, registry, cancellationToken).ConfigureAwait(false))
        {
            CliConsole.Out.MarkupLine($"{change.Action,-9} {Markup.Escape(change.Name)} {Markup.Escape(change.Version)}");
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>infra plugin test PATH</c>: build the plugin, then run the conformance suite; exit 1 with the failures listed.</summary>
internal sealed class PluginTestCommand : AsyncCommand<PluginPathSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PluginPathSettings settings, CancellationToken cancellationToken)
    {
        var report = await PluginConformance.RunAsync(settings.Path, new ConformanceOptions(), cancellationToken).ConfigureAwait(false);
        foreach (var line in report.Lines())
        {
            CliConsole.StdOut.WriteLine(line);
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.Error;
    }
}
