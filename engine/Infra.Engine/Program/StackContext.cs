using Infra.Configuration;

namespace Infra;

/// <summary>
/// What a stack program sees: the stack's name and config, a way to export outputs, and references to other
/// stacks. Declare resources by constructing them; the engine plans and applies them after the program returns.
/// </summary>
public sealed class StackContext
{
    private readonly ProgramContext _program;

    internal StackContext(ProgramContext program, CancellationToken cancellationToken)
    {
        _program = program;
        CancellationToken = cancellationToken;
    }

    /// <summary>The stack name, e.g. <c>tenant-acme</c>.</summary>
    public string StackName => _program.StackName;

    /// <summary>The project name from <c>Pulumi.yaml</c>.</summary>
    public string ProjectName => _program.ProjectName;

    /// <summary>The stack's configuration.</summary>
    public StackConfig Config => _program.Config;

    /// <summary>Cancelled when the operation is cancelled.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Exports a stack output; secret inputs stay secret in state and in <c>stack output</c>.</summary>
    public void Export<T>(string name, Input<T> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        _program.Export(name, value);
    }

    /// <summary>Exports an output as a stack output; secret outputs stay secret.</summary>
    public void Export<T>(string name, Output<T> value) => Export(name, (Input<T>)value);

    /// <summary>Exports a plain value as a stack output.</summary>
    public void ExportValue(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _program.Export(name, value);
    }

    /// <summary>Refers to another stack in the same backend to read its outputs.</summary>
    public StackReference GetStackReference(string stackName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stackName);
        return new StackReference(stackName, _program.StackOutputs
            ?? throw new InfraException($"stack reference '{stackName}': this run has no state backend to read other stacks from."));
    }
}
