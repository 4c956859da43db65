using Infra.Stacks.Kinds.Platform;
using Infra.Providers.Synthetic;
using Infra.Stacks.Kinds.Synthetic;
using Infra.Testing;

namespace Infra.Stacks.Tests;

/// <summary>The project's own stacks, tested offline with the testing kit.</summary>
public class StackProgramTests
{
    private static StackTestOptions Synthetic(string count, string shape) => new()
    {
        Config = new Dictionary<string, string> { ["synthetic:count"] = count, ["synthetic:shape"] = shape },
        SecretConfig = new Dictionary<string, string> { ["synthetic:secret"] = "s3cret" },
    };

    [Theory]
    [InlineData("chain", new[] { 0, 0, 1, 2, 3 })]
    [InlineData("tree", new[] { 0, 0, 0, 1, 1 })]
    public async Task Synthetic_shapes_wire_each_resource_to_its_upstream(string shape, int[] upstream)
    {
        var result = await StackTest.PreviewAsync(StackProgram.FromStack<SyntheticStack>(), Synthetic("5", shape));

        var steps = result.OfType(SyntheticResource.TypeToken).ToList();
        Assert.Equal(5, steps.Count);
        for (var i = 1; i < 5; i++)
        {
            var step = result.Get(SyntheticResource.TypeToken, $"r-{i}");
            Assert.True(step.NewInputs!["upstream"].IsUnknown, $"r-{i} should read r-{upstream[i]}'s unknown result in a preview");
        }
    }

    [Fact]
    public async Task Synthetic_wide_resources_are_independent_and_the_secret_stays_secret()
    {
        var result = await StackTest.UpAsync(StackProgram.FromStack<SyntheticStack>(), Synthetic("3", "wide"));

        Assert.True(result.Get(SyntheticResource.TypeToken, "r-0").NewInputs!["upstream"].IsSecret);
        Assert.False(result.Get(SyntheticResource.TypeToken, "r-1").NewInputs!.ContainsKey("upstream"));
        Assert.True(result.Outputs["secret"].IsSecret);
        Assert.Equal(3, result.Outputs["count"].AsNumber);
    }

    [Fact]
    public async Task Synthetic_rejects_an_unknown_shape_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => StackTest.PreviewAsync(StackProgram.FromStack<SyntheticStack>(), Synthetic("3", "ring")));
        Assert.Contains("synthetic:shape", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ring'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Platform_exports_its_identity_and_a_secret_admin_password()
    {
        var result = await StackTest.UpAsync(StackProgram.FromStack<PlatformStack>(), new StackTestOptions
        {
            Providers = [new Providers.Random.RandomProviderFactory()],
            // The platform installs the shared layer from the repository's chart pins, and a PriorityClass per plan.
            Files = new Dictionary<string, string>
            {
                ["environments/platform-charts.yaml"] = File.ReadAllText(Path.Combine(TestSupport.RepositoryPaths.Root, "environments", "platform-charts.yaml")),
                ["environments/plans.yaml"] = File.ReadAllText(Path.Combine(TestSupport.RepositoryPaths.Root, "environments", "plans.yaml")),
            },
        });

        Assert.True(Guid.TryParse(result.Outputs.GetString("platformId"), out _));
        Assert.True(result.Outputs["adminPassword"].IsSecret);
        Assert.Equal(32, result.Outputs["adminPassword"].SecretValue.AsString.Length);
    }
}
