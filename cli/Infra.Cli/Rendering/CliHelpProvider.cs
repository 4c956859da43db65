using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Infra.Cli.Rendering;

/// <summary>
/// Spectre's help, plus the options every command takes (<c>-s</c>, <c>-C</c>) on the top-level page, where Spectre
/// shows none because they belong to each command's settings.
/// </summary>
internal sealed class CliHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command)
    {
        if (command is not null)
        {
            return base.GetOptions(model, command);
        }

        var grid = new Grid().AddColumn(new GridColumn { Padding = new Padding(4, 0, 6, 0) }).AddColumn();
        grid.AddRow("-h, --help", "Prints help information");
        grid.AddRow("--version", "Prints the version, the commit and the runtime");
        grid.AddRow(Markup.Escape("-s, --stack <NAME>"), "The stack to operate on (default: the selected stack); every command");
        grid.AddRow(Markup.Escape("-C, --cwd <DIR>"), "The project folder (default: the nearest folder with a Pulumi.yaml); every command");
        return [Text.NewLine, new Markup("[yellow]OPTIONS:[/]"), Text.NewLine, grid];
    }
}
