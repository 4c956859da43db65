using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Infra.Automation;
using Infra.Values;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class StackNameSettings : GlobalSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The stack name.")]
    public string Name { get; set; } = string.Empty;
}

internal sealed class StackInitSettings : GlobalSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The stack name.")]
    public string Name { get; set; } = string.Empty;

    [CommandOption("--copy-config-from <STACK>")]
    [Description("Start from a copy of another stack's config, secure values and secrets settings.")]
    public string? CopyConfigFrom { get; set; }

    [CommandOption("--force")]
    [Description("Create the stack although its settings file exists: take that file over (with --copy-config-from, replace it).")]
    public bool Force { get; set; }
}

internal sealed class StackInitCommand : AsyncCommand<StackInitSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StackInitSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        if (!settings.Force && workspace.ConfigStore.Exists(settings.Name))
        {
            // Someone's settings (perhaps from git): never taken over or replaced without being asked.
            var file = Path.GetRelativePath(workspace.Project.Directory, workspace.Project.StackSettingsPath(settings.Name));
            throw new InfraException(settings.CopyConfigFrom is null
                ? $"stack '{settings.Name}': settings file '{file}' exists already; pass --force to create the stack with it as it is, or remove it; nothing was created."
                : $"stack '{settings.Name}': settings file '{file}' exists already and --copy-config-from would replace it; pass --force to replace it, or remove it; nothing was created.");
        }

        var stack = await workspace.CreateStackAsync(settings.Name, new StackInitOptions { CopyConfigFrom = settings.CopyConfigFrom }, cancellationToken)
            .ConfigureAwait(false);
        CliWorkspace.Select(workspace, stack.Name);
        CliConsole.Out.MarkupLine($"Created stack [bold]{Markup.Escape(stack.Name)}[/] in {Markup.Escape(workspace.Backend.DisplayUrl)}; settings in {Markup.Escape(Path.GetRelativePath(workspace.Project.Directory, stack.SettingsPath))}.");
        return ExitCodes.Success;
    }
}

internal sealed class StackSelectCommand : AsyncCommand<StackNameSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StackNameSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await workspace.SelectStackAsync(settings.Name, cancellationToken).ConfigureAwait(false);
        CliWorkspace.Select(workspace, stack.Name);
        CliConsole.Out.MarkupLine($"Selected stack [bold]{Markup.Escape(stack.Name)}[/].");
        return ExitCodes.Success;
    }
}

internal sealed class StackListCommand : AsyncCommand<JsonSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, JsonSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stacks = await workspace.ListStacksAsync(cancellationToken).ConfigureAwait(false);
        var selected = CliWorkspace.ReadSelected(workspace);
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(stacks.Select(s => new
            {
                name = s.Name,
                current = s.Name == selected,
                resourceCount = s.ResourceCount,
                lastUpdate = s.LastUpdate,
            }), CliJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("NAME", "RESOURCES", "LAST UPDATE");
        foreach (var stack in stacks)
        {
            table.AddRow(
                Markup.Escape(stack.Name + (stack.Name == selected ? "*" : string.Empty)),
                stack.ResourceCount.ToString(CultureInfo.InvariantCulture),
                stack.LastUpdate?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-");
        }

        CliConsole.Out.Write(table);
        return ExitCodes.Success;
    }
}

internal sealed class StackRemoveSettings : GlobalSettings
{
    [CommandArgument(0, "[NAME]")]
    [Description("The stack to remove (default: --stack or the selected stack).")]
    public string? Name { get; set; }

    [CommandOption("-f|--force")]
    [Description("Remove even if the stack still has resources (they are forgotten, not deleted).")]
    public bool Force { get; set; }

    [CommandOption("-y|--yes")]
    [Description("Proceed without asking.")]
    public bool Yes { get; set; }
}

internal sealed class StackRemoveCommand : AsyncCommand<StackRemoveSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StackRemoveSettings settings, CancellationToken cancellationToken)
    {
        Confirmation.RequireYesOrTerminal(settings.Yes, "stack rm");
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var name = settings.Name ?? (await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false)).Name;
        if (!await Confirmation.AskAsync(settings.Yes, $"Remove stack '{name}' and its settings file?", cancellationToken).ConfigureAwait(false))
        {
            throw new InfraException("declined; nothing was removed.");
        }

        await workspace.RemoveStackAsync(name, settings.Force, cancellationToken).ConfigureAwait(false);
        CliWorkspace.Unselect(workspace, name);
        CliConsole.Out.MarkupLine($"Removed stack [bold]{Markup.Escape(name)}[/].");
        return ExitCodes.Success;
    }
}

internal sealed class StackOutputSettings : JsonSettings
{
    [CommandArgument(0, "[NAME]")]
    [Description("The name of one stack output (as 'infra stack output' lists them, e.g. url); prints only its value.")]
    public string? Output { get; set; }

    [CommandOption("--show-secrets")]
    [Description("Print secret values in plaintext.")]
    public bool ShowSecrets { get; set; }
}

internal sealed class StackOutputCommand : AsyncCommand<StackOutputSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StackOutputSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var outputs = await stack.GetOutputsAsync(cancellationToken).ConfigureAwait(false);
        var shown = settings.ShowSecrets ? outputs.RevealAll() : Mask(outputs);
        if (settings.Output is { } name)
        {
            var value = shown.GetValueOrDefault(name) ?? throw new InfraException($"stack '{stack.Name}' has no output '{name}'.");
            CliConsole.StdOut.WriteLine(settings.Json || value.Kind != PropertyValueKind.String
                ? PropertyJson.ToJson(value, PropertyJsonMode.Plaintext)
                : value.AsString);
            return ExitCodes.Success;
        }

        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(PropertyJson.ToJson(shown, PropertyJsonMode.Plaintext));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("OUTPUT", "VALUE");
        foreach (var (key, value) in shown)
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value.Kind == PropertyValueKind.String ? value.AsString : PropertyJson.ToDisplayJson(value)));
        }

        CliConsole.Out.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>Secrets become the string "[secret]", so JSON consumers get a plain value, never the secret.</summary>
    private static PropertyMap Mask(PropertyMap outputs) => PropertyMap.Create(outputs.Select(static kv =>
        KeyValuePair.Create(kv.Key, kv.Value.ContainsSecrets ? PropertyValue.Create(PropertyJson.MaskedSecret) : kv.Value)));
}

internal sealed class StackHistoryCommand : AsyncCommand<JsonSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, JsonSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var history = await stack.GetHistoryAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Json)
        {
            CliConsole.StdOut.WriteLine(JsonSerializer.Serialize(history.Select(static u => new
            {
                id = u.Id,
                kind = u.Kind,
                result = u.Result,
                started = u.Started,
                ended = u.Ended,
                changes = JsonDocument.Parse(u.CountsJson).RootElement,
                user = u.User,
                host = u.Host,
                pid = u.Pid,
                programVersion = u.ProgramVersion,
                hasConfig = u.Config is not null,
            }), CliJson.Options));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("ID", "KIND", "RESULT", "STARTED", "DURATION", "CHANGES", "BY");
        foreach (var update in history)
        {
            table.AddRow(
                update.Id.ToString(CultureInfo.InvariantCulture),
                update.Kind,
                update.Result,
                update.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                update.Ended is { } ended ? Rendering.StepText.Seconds(ended - update.Started) : "-",
                Markup.Escape(Rendering.StepText.Changes(update.CountsJson)),
                Markup.Escape($"{update.User}@{update.Host}"));
        }

        CliConsole.Out.Write(table);
        return ExitCodes.Success;
    }
}

internal sealed class StackFileSettings : GlobalSettings
{
    [CommandOption("--file <PATH>")]
    [Description("Read from or write to this file instead of stdin/stdout.")]
    public string? File { get; set; }
}

internal sealed class StackExportCommand : AsyncCommand<StackFileSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StackFileSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var document = await stack.ExportStateAsync(cancellationToken).ConfigureAwait(false);
        if (settings.File is { } path)
        {
            await File.WriteAllTextAsync(path, document, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CliConsole.StdOut.WriteAsync(document).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}

internal sealed class StackImportCommand : AsyncCommand<StackFileSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StackFileSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        string document, source;
        if (settings.File is { } path)
        {
            if (!File.Exists(path))
            {
                throw new InfraException($"'{path}' does not exist.");
            }

            document = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            source = path;
        }
        else
        {
            document = await CliHost.Current.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            source = "stdin";
        }

        await stack.ImportStateAsync(document, source, cancellationToken).ConfigureAwait(false);
        CliConsole.Out.MarkupLine($"Imported state into stack [bold]{Markup.Escape(stack.Name)}[/].");
        return ExitCodes.Success;
    }
}
