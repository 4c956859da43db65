using Infra.Configuration;
using Infra.Providers;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Runs CLI commands in-process with captured output and, optionally, a test program instead of the stack kinds.</summary>
internal static class InProcessCli
{
    static InProcessCli() => Environment.SetEnvironmentVariable("INFRA_CONFIG_PASSPHRASE", CliProject.Passphrase);

    public static async Task<CliResult> RunAsync(
        CliProject project, Func<string, StackConfig, StackProgram>? program = null, IReadOnlyList<IProviderFactory>? providers = null, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var host = new CliHost { Out = stdout, Error = stderr, Interactive = false, Redirected = true, ProgramResolver = program, Providers = providers };
        var code = await CliApp.RunAsync([.. args, "--cwd", project.Directory], host, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
