using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>
/// Issue 14 §4: ./infra says at once on stderr that it is building, prints the compiler's errors when the build
/// fails, and runs the published build. Proven on a copy of the launcher beside a tiny stand-in CLI project, so the
/// test never rebuilds the real CLI.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "infra-launcher-tests", Guid.NewGuid().ToString("N"));

    public LauncherTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "cli", "Infra.Cli"));
        File.Copy(CliRunner.Script, Path.Combine(_root, "infra"));
        File.WriteAllText(Path.Combine(_root, "cli", "Infra.Cli", "Infra.Cli.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>infra</AssemblyName>
                <RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_stale_cli_is_announced_rebuilt_and_run_and_a_broken_one_prints_the_compiler_errors()
    {
        var program = Path.Combine(_root, "cli", "Infra.Cli", "Program.cs");
        await File.WriteAllTextAsync(program, "System.Console.WriteLine(\"hello from the cli\")\n");

        var broken = await RunAsync();
        await File.WriteAllTextAsync(program, "System.Console.WriteLine(\"hello from the cli\");\n");
        File.SetLastWriteTimeUtc(program, DateTime.UtcNow.AddSeconds(2));
        var built = await RunAsync();
        var fresh = await RunAsync();

        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("infra: building the CLI (first run)…", broken.Stderr, StringComparison.Ordinal);
        Assert.Contains("error CS1002", broken.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, broken.Stdout);
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.StartsWith("infra: building the CLI (first run)…", built.Stderr, StringComparison.Ordinal);
        Assert.Equal("hello from the cli\n", built.Stdout);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Equal(string.Empty, fresh.Stderr);
        Assert.True(File.Exists(Path.Combine(_root, ".build", "cli", "infra.dll")));
        Assert.True(File.Exists(Path.Combine(_root, ".build", "cli", "infra")), "the launcher runs the published apphost");
        Assert.False(Directory.Exists(Path.Combine(_root, ".build", "cli.new")), "the new build replaced the old folder whole");
    }

    private async Task<CliResult> RunAsync()
    {
        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(_root, "infra"))
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
