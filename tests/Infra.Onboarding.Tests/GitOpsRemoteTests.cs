using Infra.Onboarding.Hosting;
using Infra.Onboarding.Tests.Support;
using Infra.TestSupport;

namespace Infra.Onboarding.Tests;

/// <summary>
/// <c>Onboarding:GitOps:Remote</c> and <c>:Branch</c> against a real bare repository over <c>file://</c> (every test
/// service pushes to one, see <see cref="OnboardingSetup"/>).
/// </summary>
[Collection(OnboardingCollection.Name)]
public class GitOpsRemoteTests(ServiceFactory service)
{
    [Fact]
    public async Task An_onboarded_tenants_folder_is_pushed_to_the_configured_remote_branch()
    {
        using var client = service.ClientFor("operator", "gitops-remote");
        var id = OnboardingSetup.NewTenantId("git");
        await (await client.OnboardAsync(id)).OperationIdAsync();
        await client.WaitForAsync(id, "ready");

        var folder = $"tenant-{id}";
        var local = Directory.EnumerateFiles(Path.Combine(service.Setup.GitOpsPath, folder), "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(service.Setup.GitOpsPath, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var pushed = await GitAsync(service.Setup.GitOpsRemotePath, "ls-tree", "-r", "--name-only", OnboardingSetup.GitOpsBranch, "--", folder);
        Assert.NotEmpty(local);
        Assert.Equal(local, pushed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Contains(local, static file => file.EndsWith("/kustomization.yaml", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Onboarding:GitOps:Branch", "--force", "Onboarding:GitOps:Branch")]
    [InlineData("Onboarding:GitOps:Remote", "-uhttp://evil", "Onboarding:GitOps:Remote")]
    public void A_bad_remote_setting_stops_the_start_naming_the_key(string key, string value, string named)
    {
        var options = new OnboardingOptions { StateUrl = "postgres://infra@127.0.0.1:5432/onboarding", ProjectDirectory = service.Setup.Project.Directory };
        if (key.EndsWith("Branch", StringComparison.Ordinal))
        {
            options.GitOps.Branch = value;
        }
        else
        {
            options.GitOps.Remote = value;
        }

        var error = Assert.Throws<InfraException>(() => ServiceSettings.Resolve(options, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), development: true));

        Assert.StartsWith(named + " is ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var result = await RepositoryTools.RunAsync("git", directory, arguments);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Error}");
        return result.Output;
    }
}
