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
        var attached = new RandomString("attached", new RandomStringArgs { Length = 8, Keepers = new InputMap<string> { ["p"] = kept.Result } });
        var unrelated = new RandomString("unrelated", new RandomStringArgs { Length = 8 });
        context.Export("attached", attached.Result);
        context.Export("unrelated", unrelated.Result);
    });

    [Fact]
    public async Task Destroy_keeps_protected_resources_and_what_is_attached_to_them_and_reports_them()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.UpAsync(new UpOptions { Program = s_program });

        var result = await stack.DestroyAsync();

        Assert.Equal("unrelated", Urn.NameOf(Assert.Single(result.Steps, s => s.Op == StepOp.Delete).Urn));
        Assert.Equal(["attached", "kept"], result.Kept.Select(Urn.NameOf).Order());
        var left = (await stack.GetSnapshotAsync()).Resources.Where(static r => r.Custom).Select(r => Urn.NameOf(r.Urn)).Order();
        Assert.Equal(["attached", "kept"], left);
    }

    [Fact]
    public async Task Destroy_of_an_unprotected_stack_keeps_nothing()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(_ => new RandomString("only", new RandomStringArgs { Length = 4 })) });

        var result = await stack.DestroyAsync();

        Assert.Empty(result.Kept);
        Assert.Empty((await stack.GetSnapshotAsync()).Resources);
    }
}
