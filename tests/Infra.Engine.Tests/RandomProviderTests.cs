using Infra.Automation;
using Infra.Deployment;
using Infra.Providers.Random;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

public class RandomProviderTests
{
    private static StackProgram Program(string rotation) => StackProgram.FromDelegate(ctx =>
    {
        var password = new RandomPassword("pw", new RandomPasswordArgs { Length = 20, Special = false, Keepers = new InputMap<string> { ["rotation"] = rotation } });
        var id = new RandomId("id", new RandomIdArgs { ByteLength = 4, Prefix = "t-" });
        var uuid = new RandomUuid("uuid");
        var text = new RandomString("text", new RandomStringArgs { Length = 10, Upper = false, Numeric = false, Special = false });
        ctx.Export("password", password.Result);
        ctx.Export("hex", id.Hex);
        ctx.Export("uuid", uuid.Result);
        ctx.Export("text", text.Result);
    });

    [Fact]
    public async Task Values_follow_their_args_and_the_password_is_secret()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        var result = await stack.UpAsync(new UpOptions { Program = Program("q1") });

        Assert.True(result.Outputs["password"].IsSecret);
        var password = result.Outputs["password"].SecretValue.AsString;
        Assert.Equal(20, password.Length);
        Assert.All(password, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.Matches("^t-[0-9a-f]{8}$", result.Outputs.GetString("hex"));
        Assert.True(Guid.TryParse(result.Outputs.GetString("uuid"), out _));
        Assert.Matches("^[a-z]{10}$", result.Outputs.GetString("text"));
    }

    [Fact]
    public async Task Changing_a_keeper_replaces_the_value_and_nothing_else()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        var first = await stack.UpAsync(new UpOptions { Program = Program("q1") });

        var same = await stack.UpAsync(new UpOptions { Program = Program("q1") });
        var rotated = await stack.UpAsync(new UpOptions { Program = Program("q2") });

        Assert.Equal(0, same.Summary.Changes);
        Assert.Equal(first.Outputs["password"], same.Outputs["password"]);
        var step = Assert.Single(rotated.Steps, s => s.Op == StepOp.Replace);
        Assert.Equal("pw", Urn.NameOf(step.Urn));
        Assert.Contains("keepers.rotation", step.Replaces);
        Assert.NotEqual(first.Outputs["password"], rotated.Outputs["password"]);
        Assert.Equal(first.Outputs["hex"], rotated.Outputs["hex"]);
    }

    [Fact]
    public async Task Invalid_lengths_are_rejected_with_the_property()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => stack.PreviewAsync(new PreviewOptions
        {
            Program = StackProgram.FromDelegate(_ => new RandomString("bad", new RandomStringArgs { Length = 0 })),
        }));

        Assert.Contains("length: must be a whole number from 1 to 1024", error.Message, StringComparison.Ordinal);
    }
}
