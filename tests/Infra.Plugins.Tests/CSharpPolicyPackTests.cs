using Infra.Policies;
using Infra.Policies.Plugins;
using Infra.Policy;
using Infra.Values;

namespace Infra.Plugins.Tests;

/// <summary>A C# policy pack loaded by path runs out of process, in the sandbox, through the C# host.</summary>
public sealed class CSharpPolicyPackTests
{
    private static string Acme => Path.Combine(AppContext.BaseDirectory, "Acme.Policies.dll");

    private static string Host => Path.Combine(AppContext.BaseDirectory, PolicyPackHosting.HostFileName);

    private static PolicyResource Database(string name, int connectionLimit) => new()
    {
        Urn = Urn.Create("dev", "platform", null, "postgres:index:Database", name),
        Type = "postgres:index:Database",
        Inputs = PropertyJson.ParseMap($$"""{ "name": "{{name}}", "connectionLimit": {{connectionLimit}} }""", PropertyJsonMode.Plaintext),
    };

    [Fact]
    public async Task A_pack_assembly_loaded_by_path_is_enforced_from_a_sandboxed_host_process_as_it_would_be_in_process()
    {
        await using var pack = await PluginPolicyPack.StartAsync(PolicyPackHosting.Options(Acme, Host, sandboxed: true), CancellationToken.None);
        var outOfProcess = PolicyPackSet.Empty.Add(pack, Acme);
        var inProcess = PolicyPackSet.Empty.AddFromFile(Acme);
        PolicyResource[] resources = [Database("tenant_acme", 0), Database("tenant_initech", 20)];

        var expected = await inProcess.CreateEnforcer("dev", PolicySettings.Empty).EvaluateAsync(resources);
        var actual = await outOfProcess.CreateEnforcer("dev", PolicySettings.Empty).EvaluateAsync(resources);

        Assert.Equal(("acme", "1.2.0"), (pack.Name, pack.Version));
        Assert.NotEmpty(expected.Violations);
        Assert.Equal(
            expected.Violations.Select(static v => (v.Pack, v.Policy, v.Level, v.Urn, v.Message)),
            actual.Violations.Select(static v => (v.Pack, v.Policy, v.Level, v.Urn, v.Message)));
    }

    [Fact]
    public void The_host_published_in_its_own_folder_is_chosen_over_a_copy_beside_the_application()
    {
        var application = Path.Combine(Path.GetTempPath(), "infra-host-folder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(application);
        try
        {
            File.WriteAllText(Path.Combine(application, PolicyPackHosting.HostFileName), string.Empty);
            var beside = PolicyPackHosting.FindHost(application);
            var folder = Directory.CreateDirectory(Path.Combine(application, PolicyPackHosting.HostFolderName)).FullName;
            File.WriteAllText(Path.Combine(folder, PolicyPackHosting.HostFileName), string.Empty);

            Assert.Equal(Path.Combine(application, PolicyPackHosting.HostFileName), beside);
            Assert.Equal(Path.Combine(folder, PolicyPackHosting.HostFileName), PolicyPackHosting.FindHost(application));
        }
        finally
        {
            Directory.Delete(application, recursive: true);
        }
    }

    [Fact]
    public void An_assembly_without_a_pack_is_refused_in_one_line_naming_it()
    {
        var error = Assert.Throws<InfraException>(() => PolicyPackHosting.Choose(Path.Combine(AppContext.BaseDirectory, "Infra.Plugins.dll"), null));

        Assert.Contains("Infra.Plugins.dll' contains no policy pack", error.Message, StringComparison.Ordinal);
    }
}
