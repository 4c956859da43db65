using Infra.Providers.Helm.Rendering;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class HelmGarbageCollectionTests
{
    [Fact]
    public async Task Helm_runs_with_gos_garbage_collector_off_below_128_MiB_of_heap()
    {
        var folder = Directory.CreateTempSubdirectory("infra-helm-env-");
        try
        {
            // A stand-in that prints the environment it was started with, then the real helm's version.
            var helm = Path.Combine(folder.FullName, "helm");
            await File.WriteAllTextAsync(helm, $"#!/bin/sh\nenv\nexec '{RepositoryTools.Helm}' \"$@\"\n");
            File.SetUnixFileMode(helm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var result = await new HelmBinary(helm).RunAsync(["version", "--template", "{{.Version}}"], CancellationToken.None);

            Assert.Equal(0, result.ExitCode);
            var environment = result.Output.Split('\n');
            Assert.Contains("GOGC=off", environment);
            Assert.Contains("GOMEMLIMIT=128MiB", environment);
            Assert.StartsWith("v", environment[^1], StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("GOGC")]
    [InlineData("GOMEMLIMIT")]
    public void A_garbage_collector_setting_of_the_users_own_leaves_helms_collector_to_it(string set)
    {
        Assert.Empty(HelmBinary.GarbageCollectionUnless(name => name == set ? "200" : null));
        Assert.Equal("off", HelmBinary.GarbageCollectionUnless(static _ => null)["GOGC"]);
    }
}
