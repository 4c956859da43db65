using Infra.Stacks.Kinds.Tenant;
using Infra.Tenancy;
using Infra.TestSupport;

namespace Infra.Stacks.Tests;

/// <summary>
/// The stack programs' own readers of hostile input: tenant ids, quantities, schedules, branding and plans.yaml
/// match to the true end of the text and refuse what would hang or flood them, in one line naming the file.
/// </summary>
public sealed class HostileStackInputTests : IDisposable
{
    private const string AliasBomb = """
        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("infra-plans-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Tenant_ids_and_plan_values_match_to_the_true_end_of_the_text()
    {
        Assert.Null(TenantConventions.IdProblem("acme"));
        Assert.NotNull(TenantConventions.IdProblem("acme\n"));
        Assert.Equal(1024m * 1024 * 1024, Quantity.TryParse("1Gi"));
        Assert.Null(Quantity.TryParse("1Gi\n"));
        Assert.True(TenantConventions.IsSchedule("0 3 * * *"));
        Assert.False(TenantConventions.IsSchedule("0 3 * * *\n"));
        Assert.True(TenantBranding.IsDnsName("app.acme.com"));
        Assert.False(TenantBranding.IsDnsName("app.acme.com\n"));
        Assert.Null(new TenantBranding { PrimaryColor = "#0055ff" }.Problem());
        Assert.Equal("primaryColor", new TenantBranding { PrimaryColor = "#0055ff\n" }.Problem()?.Field);
    }

    [Theory]
    [InlineData("plan name", "plans:\n  \"free\\n\": {}\n", "a plan's name")]
    [InlineData("feature name", null, "feature flag's name")]
    [InlineData("alias bomb", "plans:\n" + "  free: *a\n", "alias")]
    [InlineData("nesting", "plans: ", "nesting deeper than 64 levels")]
    [InlineData("complex key", "plans:\n  ? [free]\n  : {}\n", "complex mapping key")]
    public void A_hostile_plans_file_is_refused_naming_the_file(string attack, string? yaml, string expected)
    {
        var path = Path.Combine(_directory, TenantPlans.FileName);
        var original = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "environments", TenantPlans.FileName));
        File.WriteAllText(path, attack switch
        {
            "feature name" => original.Replace("features: { customDomain:", "features: { \"customDomain\\n\":", StringComparison.Ordinal),
            "alias bomb" => AliasBomb + "\n" + yaml,
            "nesting" => yaml + new string('[', 50_000) + new string(']', 50_000) + "\n",
            _ => yaml,
        });
        var error = Assert.Throws<ConfigException>(() => TenantPlans.Load(path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_plans_file_changed_between_reads_is_read_afresh_and_its_plans_keep_the_files_order()
    {
        var path = Path.Combine(_directory, TenantPlans.FileName);
        var original = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "environments", TenantPlans.FileName));
        File.WriteAllText(path, original);
        var first = TenantPlans.Load(path);

        Assert.Equal(["free", "standard", "enterprise"], TenantPlans.Load(path).Keys);

        // Same length and, within a second, the same modification time: only the text tells the files apart.
        var connectionLimit = first["standard"].ConnectionLimit;
        var changed = original.Replace($"connectionLimit: {connectionLimit}", $"connectionLimit: {connectionLimit + 1}", StringComparison.Ordinal);
        Assert.NotEqual(original, changed);
        File.WriteAllText(path, changed);
        Assert.Equal(connectionLimit + 1, TenantPlans.Load(path)["standard"].ConnectionLimit);

        File.WriteAllText(path, "plans:\n  \"free\\n\": {}\n");
        Assert.Throws<ConfigException>(() => TenantPlans.Load(path));
        Assert.Throws<ConfigException>(() => TenantPlans.Load(path));
    }
}
