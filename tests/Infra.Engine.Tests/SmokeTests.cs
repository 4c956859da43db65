using Infra.Automation;
using Infra.Deployment;
using Infra.TestSupport;
using Infra.Providers.Random;

namespace Infra.Engine.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Up_creates_then_second_up_reports_no_changes()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        var program = StackProgram.FromDelegate(ctx =>
        {
            var password = new RandomPassword("pw", new RandomPasswordArgs { Length = 16 });
            var name = new RandomString("name", new RandomStringArgs { Length = 8, Special = false, Keepers = new InputMap<string> { ["p"] = password.Result } });
            ctx.Export("name", name.Result);
            ctx.Export("password", password.Result);
        });

        var preview = await stack.PreviewAsync(new PreviewOptions { Program = program });
        Assert.Equal(2, preview.Summary[StepOp.Create]);

        var first = await stack.UpAsync(new UpOptions { Program = program });
        Assert.Equal(2, first.Summary[StepOp.Create]);

        var second = await stack.UpAsync(new UpOptions { Program = program });
        Assert.Equal(0, second.Summary.Changes);
        Assert.Equal(2, second.Summary[StepOp.Same]);
    }
}
