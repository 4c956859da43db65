using Infra.Automation;
using Infra.Deployment;
using Infra.Providers.Random;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

/// <summary>A workspace with the test and random providers over an inspectable <see cref="TestCloud"/>.</summary>
internal sealed class Harness : IAsyncDisposable
{
    private Harness(TestProject project, WorkspaceStack stack, TestCloud cloud)
    {
        Project = project;
        Stack = stack;
        Cloud = cloud;
    }

    public TestProject Project { get; }

    public WorkspaceStack Stack { get; }

    public TestCloud Cloud { get; }

    public List<EngineEvent> Events { get; } = [];

    public static async Task<Harness> CreateAsync(string? backendUrl = null)
    {
        var cloud = new TestCloud();
        var project = await TestProject.CreateAsync(backendUrl: backendUrl, providers: [new RandomProviderFactory(), new TestProviderFactory(cloud)]);
        var stack = await project.Workspace.CreateStackAsync("dev");
        return new Harness(project, stack, cloud);
    }

    public Task<UpdateResult> UpAsync(Action<StackContext> program, UpOptions? options = null) =>
        Stack.UpAsync((options ?? new UpOptions()) with { Program = StackProgram.FromDelegate(program), OnEvent = Record });

    public Task<PreviewResult> PreviewAsync(Action<StackContext> program, PreviewOptions? options = null) =>
        Stack.PreviewAsync((options ?? new PreviewOptions()) with { Program = StackProgram.FromDelegate(program), OnEvent = Record });

    public Task<UpdateResult> DestroyAsync() => Stack.DestroyAsync(new DestroyOptions { OnEvent = Record });

    public Task<UpdateResult> RefreshAsync() => Stack.RefreshAsync(new RefreshOptions { OnEvent = Record });

    public static string Urn(string name, string type = TestResource.TypeToken, string? parentChain = null) =>
        Infra.Urn.Create("dev", "platform", parentChain, type, name);

    public ValueTask DisposeAsync() => Project.DisposeAsync();

    private void Record(EngineEvent engineEvent)
    {
        lock (Events)
        {
            Events.Add(engineEvent);
        }
    }
}

internal static class StepAssertions
{
    public static PlannedStep Step(this UpdateResult result, string name) =>
        result.Steps.Single(s => Urn.NameOf(s.Urn) == name && s.Op is not (StepOp.Delete or StepOp.Forget) || Urn.NameOf(s.Urn) == name && result.Steps.Count(x => Urn.NameOf(x.Urn) == name) == 1);

    public static PlannedStep Step(this PreviewResult result, string name) =>
        result.Plan.Steps.Single(s => Urn.NameOf(s.Urn) == name);
}
