using System.Text;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Known secret values must appear nowhere in plaintext: state files, plans, event streams, console output.</summary>
[Collection(CliCollection.Name)]
public sealed class SecretsLeakTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Secret_values_never_appear_in_state_plans_events_or_console_output()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var seen = new StringBuilder();
        async Task Run(params string[] args) => seen.Append((await _project.RunOkAsync(args)).Output);

        await Run("stack", "init", "synth");
        await Run("config", "set", "infra:kind", "synthetic");
        await Run("config", "set", "synthetic:count", "3");
        await Run("config", "set", "--secret", "synthetic:secret", canary);
        await Run("stack", "init", "platform");
        await Run("config", "set", "infra:kind", "platform");
        foreach (var stack in new[] { "synth", "platform" })
        {
            var plan = Path.Combine(_project.Directory, $"{stack}.plan.json");
            await Run("preview", "-s", stack, "--diff");
            await Run("preview", "-s", stack, "--json", "--save-plan", plan);
            await Run("up", "-s", stack, "--yes", "--plan", plan);
            await Run("up", "-s", stack, "--yes", "--json");
            await Run("stack", "output", "-s", stack);
            await Run("stack", "output", "-s", stack, "--json");
            await Run("stack", "export", "-s", stack);
            await Run("stack", "history", "-s", stack);
            await Run("config", "ls", "-s", stack);
            await Run("refresh", "-s", stack, "--json");
            seen.Append(await File.ReadAllTextAsync(plan));
        }

        var adminPassword = (await _project.RunOkAsync("stack", "output", "-s", "platform", "adminPassword", "--show-secrets")).Stdout.Trim();
        Assert.Equal(32, adminPassword.Length);
        Assert.Equal(canary, (await _project.RunOkAsync("stack", "output", "-s", "synth", "secret", "--show-secrets")).Stdout.Trim());

        foreach (var file in Directory.EnumerateFiles(Path.Combine(_project.Directory, ".infra")).Concat(Directory.EnumerateFiles(Path.Combine(_project.Directory, "environments"))))
        {
            seen.Append(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));
        }

        var everything = seen.ToString();
        Assert.Contains("[secret]", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(canary, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(adminPassword, everything, StringComparison.Ordinal);
    }
}
