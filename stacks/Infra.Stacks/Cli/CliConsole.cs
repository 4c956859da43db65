using Spectre.Console;

namespace Infra.Stacks.Cli;

/// <summary>The CLI's consoles: results on stdout, diagnostics and errors on stderr.</summary>
internal static class CliConsole
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, redirectedWidth: 200);

    // Errors are one line however long (a settings path, a key and the fix): never wrap them.
    public static IAnsiConsole Error { get; } = Create(Console.Error, redirectedWidth: 4096);

    /// <summary>True when a person is at the keyboard: questions may be asked.</summary>
    public static bool IsInteractive => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    private static IAnsiConsole Create(TextWriter writer, int redirectedWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Detect,
        });

        // Piped output (CI logs, tests) has no width; don't wrap lines at 80 columns there.
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = redirectedWidth;
        }

        return console;
    }
}
