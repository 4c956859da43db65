using Spectre.Console;

namespace Infra.Cli;

/// <summary>Asks before changes, but never when <c>--yes</c> is given or nobody is at a terminal.</summary>
internal static class Confirmation
{
    /// <summary>Fails at once when a change needs confirmation and stdin is not a terminal.</summary>
    /// <exception cref="InfraException">Neither <c>--yes</c> nor a terminal.</exception>
    public static void RequireYesOrTerminal(bool yes, string command)
    {
        if (!yes && !CliConsole.IsInteractive)
        {
            throw new InfraException($"'{command}' needs --yes when not run from a terminal (it will not ask a question); nothing was changed.");
        }
    }

    public static async Task<bool> AskAsync(bool yes, string question, CancellationToken cancellationToken)
    {
        if (yes)
        {
            return true;
        }

        return await CliConsole.Out.ConfirmAsync(question, defaultValue: false, cancellationToken).ConfigureAwait(false);
    }
}
