using System.ComponentModel;
using Infra.Automation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class ImportSettings : GlobalSettings
{
    [CommandArgument(0, "<TYPE>")]
    [Description("The resource type token, e.g. postgres:index:Database.")]
    public string Type { get; set; } = string.Empty;

    [CommandArgument(1, "<NAME>")]
    [Description("The resource name the program declares it with.")]
    public string Name { get; set; } = string.Empty;

    [CommandArgument(2, "<ID>")]
    [Description("The provider ID of the existing resource.")]
    public string Id { get; set; } = string.Empty;

    [CommandOption("--parent <URN>")]
    [Description("The URN of the parent the program declares it under.")]
    public string? Parent { get; set; }
}

internal sealed class ImportCommand : AsyncCommand<ImportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ImportSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var result = await stack.ImportResourceAsync(settings.Type, settings.Name, settings.Id, settings.Parent, new OperationOptions(), cancellationToken)
            .ConfigureAwait(false);
        var urn = result.Steps[0].Urn;
        CliConsole.Out.MarkupLine($"Imported [bold]{Markup.Escape(urn)}[/] (protected).");
        CliConsole.Out.MarkupLine("Declare it in the program with the same type and name; remove protection there when you want the engine to be able to delete it.");
        return ExitCodes.Success;
    }
}
