using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>In-process CLI runs on a <see cref="CliProject"/>, with a tenant or synthetic stack set up the way a user would.</summary>
internal static class InProcessTenant
{
    /// <summary>Runs in-process and asserts exit code 0.</summary>
    public static async Task<CliResult> OkAsync(CliProject project, params string[] args)
    {
        var result = await InProcessCli.RunAsync(project, args: args);
        Assert.True(result.ExitCode == 0, $"infra {string.Join(' ', args)} failed: {result}");
        return result;
    }

    public static Task<CliResult> RunAsync(CliProject project, params string[] args) => InProcessCli.RunAsync(project, args: args);

    /// <summary>A tenant stack that previews without a database server (planning a new tenant connects to nothing).</summary>
    public static async Task InitAsync(CliProject project, string stack = "tenant-acme")
    {
        await OkAsync(project, "stack", "init", stack);
        await OkAsync(project, "config", "set", "infra:kind", "tenant");
        await OkAsync(project, "config", "set", "tenant:id", "acme");
        await OkAsync(project, "config", "set", "tenant:plan", "standard");
        await OkAsync(project, "config", "set", "--secret", "postgres:connectionString", "postgres://admin:pw@127.0.0.1:1/postgres");
        foreach (var (key, value) in TenantKubernetesConfig.Config)
        {
            await OkAsync(project, "config", "set", key, value);
        }
    }

    /// <summary>A synthetic stack of <paramref name="count"/> resources.</summary>
    public static async Task InitSyntheticAsync(CliProject project, int count, string stack = "dev")
    {
        await OkAsync(project, "stack", "init", stack);
        await OkAsync(project, "config", "set", "infra:kind", "synthetic");
        await OkAsync(project, "config", "set", "synthetic:count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
