using Infra.Automation;

namespace Infra.Cli;

/// <summary>
/// The CLI's wording of engine errors. The engine says what is wrong in its own terms and carries, in typed errors,
/// what a fix needs; the CLI names the flag or command that makes that fix.
/// </summary>
internal static class ErrorAdvice
{
    private static readonly Dictionary<string, string> s_flags = new(StringComparer.Ordinal)
    {
        [nameof(OperationOptions.Parallel)] = "--parallel",
        [nameof(OperationOptions.Targets)] = "--target",
        [nameof(OperationOptions.Replaces)] = "--replace",
        [nameof(OperationOptions.ImportPending)] = "--import-pending",
        [nameof(OperationOptions.ClearPending)] = "--clear-pending",
    };

    /// <summary>The one-line message for <paramref name="exception"/>.</summary>
    public static string Text(Exception exception) => exception switch
    {
        OperationOptionException option => $"{Flag(option.Option)} {option.Problem}",
        _ => exception.Message,
    };

    /// <summary>The flag that sets an <see cref="OperationOptions"/> property.</summary>
    public static string Flag(string option) => s_flags.GetValueOrDefault(option) ?? option;
}
