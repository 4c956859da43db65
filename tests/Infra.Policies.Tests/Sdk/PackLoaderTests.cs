using System.Runtime.Loader;
using Acme.Policies;
using Infra.Policies.Compliance;
using Infra.Policies.Tests.Support;
using Infra.Policy;

namespace Infra.Policies.Tests.Sdk;

public class PackLoaderTests
{
    private static readonly string s_acmeAssembly = typeof(AcmePack).Assembly.Location;

    [Fact]
    public async Task A_pack_assembly_loads_into_its_own_context_and_shares_the_sdk_types_with_the_host()
    {
        var packs = PolicyPackSet.Of(new CompliancePack()).AddFromFile(s_acmeAssembly);

        var acme = packs.Find("acme")!;
        Assert.Equal(Path.GetFullPath(s_acmeAssembly), acme.Source);
        Assert.Equal("1.2.0", acme.Version);
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(acme.Pack.GetType().Assembly));
        Assert.NotEqual(typeof(AcmePack), acme.Pack.GetType());
        Assert.Same(typeof(PolicyPack).Assembly, acme.Pack.GetType().BaseType!.Assembly);

        var database = Fixture.Resource("postgres:index:Database", "db", """{ "name": "tenant_acme" }""");
        var report = await packs.CreateEnforcer("dev", PolicySettings.Empty).EvaluateAsync([database]);
        var violation = Assert.Single(report.Violations, v => v.Pack == "acme");
        Assert.Equal(("database-connection-limit", "1.2.0", EnforcementLevel.Mandatory), (violation.Policy, violation.PackVersion, violation.Level));
    }

    [Fact]
    public void A_missing_file_is_refused_with_its_path()
    {
        var error = Assert.Throws<InfraException>(() => PolicyPackLoader.LoadFromFile("nowhere/Missing.Pack.dll"));

        Assert.Contains("policy pack 'nowhere/Missing.Pack.dll' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_refused()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("infra-pack-").FullName, "NotAPack.dll");
        File.WriteAllText(path, "this is not a PE file");

        var error = Assert.Throws<InfraException>(() => PolicyPackLoader.LoadFromFile(path));

        Assert.Contains("is not a .NET assembly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_without_a_pack_is_refused_with_what_a_pack_needs()
    {
        var error = Assert.Throws<InfraException>(() => PolicyPackLoader.LoadFromFile(typeof(FactAttribute).Assembly.Location));

        Assert.Contains("contains no policy pack: declare a public class deriving from Infra.Policies.PolicyPack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_pack_loaded_twice_is_refused()
    {
        var error = Assert.Throws<InfraException>(() => PolicyPackSet.Empty.AddFromFile(s_acmeAssembly).AddFromFile(s_acmeAssembly));

        Assert.Contains("policy pack 'acme' is loaded twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_pack_is_refused_when_registered()
    {
        var error = Assert.Throws<InfraException>(() => PolicyPackSet.Of(new BadlyNamedPack()));

        Assert.Contains("invalid name 'Bad Pack'", error.Message, StringComparison.Ordinal);
    }

    private sealed class BadlyNamedPack : PolicyPack
    {
        public override string Name => "Bad Pack";

        public override IReadOnlyList<PolicyDefinition> Policies { get; } = [new TestingPack.UnfixableRemediation()];
    }
}
