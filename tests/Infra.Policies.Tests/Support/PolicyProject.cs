using Infra.Automation;
using Infra.Deployment;
using Infra.Policies.Compliance;
using Infra.State.Sqlite;

namespace Infra.Policies.Tests.Support;

/// <summary>
/// A throwaway project whose workspace enforces the compliance pack (plus any extra packs) through the engine's
/// policy resolver, exactly as the CLI wires it, with the postgres and infra packages served by an <see cref="ObjectStore"/>.
/// </summary>
internal sealed class PolicyProject : IAsyncDisposable
{
    private PolicyProject(string directory, Workspace workspace, ObjectStore store)
    {
        Directory = directory;
        Workspace = workspace;
        Store = store;
    }

    public string Directory { get; }

    public Workspace Workspace { get; }

    public ObjectStore Store { get; }

    public List<EngineEvent> Events { get; } = [];

    public static async Task<PolicyProject> CreateAsync(params PolicyPack[] extraPacks)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("infra-policy-tests-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "Pulumi.yaml"), """
            name: platform
            runtime: dotnet
            stackConfigDir: environments
            """);
        var store = new ObjectStore();
        var packs = extraPacks.Aggregate(PolicyPackSet.Of(new CompliancePack()), static (set, pack) => set.Add(pack));
        var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = directory,
            StateBackends = [new SqliteStateBackendFactory()],
            Passphrase = "policy tests",
            Providers = [store.Serve("postgres"), store.Serve("infra")],
            PolicyResolver = packs.ForStack,
            Environment = new Dictionary<string, string?>(),
        });
        return new PolicyProject(directory, workspace, store);
    }

    /// <summary>Creates a stack whose settings file has <paramref name="policiesYaml"/> as its <c>policies</c> section.</summary>
    public async Task<WorkspaceStack> CreateStackAsync(string name, string policiesYaml)
    {
        var stack = await Workspace.CreateStackAsync(name);
        await SetPoliciesAsync(stack, policiesYaml);
        return stack;
    }

    /// <summary>Replaces the settings file's <c>policies</c> section, as a person editing the file would.</summary>
    public static async Task SetPoliciesAsync(WorkspaceStack stack, string policiesYaml)
    {
        var lines = (await File.ReadAllLinesAsync(stack.SettingsPath)).TakeWhile(static l => !l.StartsWith("policies:", StringComparison.Ordinal));
        await File.WriteAllTextAsync(stack.SettingsPath, string.Join('\n', lines) + "\npolicies:\n" + policiesYaml + "\n");
    }

    public UpOptions Up(StackProgram program) => new() { Program = program, OnEvent = Record };

    public PreviewOptions Preview(StackProgram program) => new() { Program = program, OnEvent = Record };

    public List<PolicyViolationEvent> PolicyEvents()
    {
        lock (Events)
        {
            return [.. Events.OfType<PolicyViolationEvent>()];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Workspace.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the backend; the temp folder is cleaned up eventually.
        }
    }

    private void Record(EngineEvent engineEvent)
    {
        lock (Events)
        {
            Events.Add(engineEvent);
        }
    }
}
