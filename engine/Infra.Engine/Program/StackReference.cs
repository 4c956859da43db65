using Infra.Values;

namespace Infra;

/// <summary>
/// Reads the outputs another stack exported, for example the platform stack's cluster endpoint from a tenant
/// stack. The outputs are read once per run; secret outputs stay secret.
/// </summary>
public sealed class StackReference
{
    private readonly Lazy<Task<PropertyMap>> _outputs;

    internal StackReference(string stackName, IStackOutputsReader reader)
    {
        StackName = stackName;
        _outputs = new Lazy<Task<PropertyMap>>(() => reader.ReadOutputsAsync(stackName, CancellationToken.None));
    }

    /// <summary>The referenced stack.</summary>
    public string StackName { get; }

    /// <summary>Reads an output; the value is <see langword="null"/> when the stack does not export it.</summary>
    public Output<T?> GetOutput<T>(string name) => new(new StackOutputNode<T?>(this, name, required: false));

    /// <summary>Reads an output that must exist.</summary>
    /// <exception cref="InfraException">When evaluated, if the stack does not export <paramref name="name"/>.</exception>
    public Output<T> RequireOutput<T>(string name) => new(new StackOutputNode<T>(this, name, required: true));

    private sealed class StackOutputNode<T>(StackReference reference, string name, bool required) : OutputNode<T>
    {
        public override async ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope)
        {
            var outputs = await reference._outputs.Value.ConfigureAwait(false);
            if (!outputs.TryGetValue(name, out var value))
            {
                return required
                    ? throw new InfraException($"stack reference '{reference.StackName}' has no output '{name}'.")
                    : new OutputData<T>(default!, true, false);
            }

            return new OutputData<T>((T)ValueConverter.FromProperty(value.RevealAll(), typeof(T))!, true, value.ContainsSecrets);
        }

        public override void CollectResources(HashSet<Resource> into)
        {
        }
    }
}
