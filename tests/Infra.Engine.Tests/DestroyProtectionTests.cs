using Infra.Automation;
using Infra.Deployment;
using Infra.Providers.Random;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

public class DestroyProtectionTests
{
    private static readonly StackProgram s_program = StackProgram.FromDelegate(context =>
    {
        var kept = new RandomPassword("kept", new RandomPasswordArgs { Length = 12 }, new CustomResourceOptions { Protect = true });
        var loose = new RandomString("loose", new RandomStringArgs { Length = 8, Keepers = new InputMap<string> { ["p"] = kept.Result } });
        context.Export("loose", loose.Result);
    });

    [Fact]
    public async Task Destroy_refuses_and_deletes_nothing_while_a_resource_is_protected()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.UpAsync(new UpOptions { Program = s_program });

        var error = await Assert.ThrowsAsync<InfraException>(() => stack.DestroyAsync());

        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("'kept'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await stack.GetSnapshotAsync()).Resources.Count(static r => r.Custom));
    }

    [Fact]
    public async Task Destroy_with_exclude_protected_keeps_protected_resources_and_deletes_the_rest()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.UpAsync(new UpOptions { Program = s_program });

        var result = await stack.DestroyAsync(new DestroyOptions { ExcludeProtected = true });

        Assert.Equal(1, result.Summary[StepOp.Delete]);
        var left = (await stack.GetSnapshotAsync()).Resources.Where(static r => r.Custom).ToList();
        Assert.Equal("kept", Urn.NameOf(Assert.Single(left).Urn));
    }
}
