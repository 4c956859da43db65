using Infra.Configuration;

namespace Infra.Cli;

/// <summary>
/// The <c>infra</c> command line for a project that keeps its stack programs in its own .NET project, the one
/// <c>Pulumi.yaml</c>'s <c>main</c> names: its entry point calls <see cref="RunAsync"/> with its programs.
/// <c>infra stack rollback --program</c> builds that project at an older commit and runs it this way.
/// </summary>
public static class InfraCommandLine
{
    /// <summary>Runs <paramref name="args"/> as <c>infra</c> does, with <paramref name="programs"/> choosing each stack's program.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="programs">The program of a stack, given its name and config.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, Func<string, StackConfig, StackProgram> programs)
    {
        using var telemetry = CliTelemetry.Start();
        return await CliApp.RunAsync(args, CliHost.Process with { ProgramResolver = programs }, CancellationToken.None).ConfigureAwait(false);
    }
}
