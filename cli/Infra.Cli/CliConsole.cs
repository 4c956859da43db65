using System.Runtime.CompilerServices;
using Spectre.Console;

namespace Infra.Cli;

/// <summary>The CLI's consoles for the current <see cref="CliHost"/>: results on stdout, diagnostics and errors on stderr.</summary>
internal static class CliConsole
{
    private static readonly ConditionalWeakTable<TextWriter, IAnsiConsole> s_consoles = [];

    public static IAnsiConsole Out => For(CliHost.Current.Out);

    public static IAnsiConsole Error => For(CliHost.Current.Error);

    /// <summary>Raw stdout, for JSON and values that must not be reformatted.</summary>
    public static TextWriter StdOut => CliHost.Current.Out;

    /// <summary>True when a person is at the keyboard: questions may be asked.</summary>
    public static bool IsInteractive => CliHost.Current.Interactive;

    private static IAnsiConsole For(TextWriter writer) => s_consoles.GetValue(writer, static w =>
    {
        var host = CliHost.Current;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(w),
            Ansi = host.Redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = host.Redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = host.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });

        // Piped output (CI logs, tests) has no width; don't wrap lines at 80 columns there.
        if (host.Redirected)
        {
            console.Profile.Width = 4000;
        }

        return console;
    });
}
