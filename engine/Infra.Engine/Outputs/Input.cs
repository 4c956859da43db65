using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Infra;

/// <summary>Anything that carries an output expression: <see cref="Output{T}"/> and the input types.</summary>
internal interface IOutputSource
{
    IOutputNode Node { get; }
}

/// <summary>
/// A resource argument: either a plain value or another resource's <see cref="Output{T}"/>. Both convert
/// implicitly, so args read naturally: <c>Owner = role.Name</c> or <c>Owner = "app"</c>.
/// </summary>
/// <typeparam name="T">The argument's type.</typeparam>
public class Input<T> : IOutputSource
{
    private readonly Output<T> _output;

    private protected Input(Output<T> output) => _output = output;

    IOutputNode IOutputSource.Node => _output.Node;

    /// <summary>The input as an output, to use with <see cref="Output{T}.Apply{U}(Func{T, U})"/>.</summary>
    public Output<T> ToOutput() => _output;

    /// <summary>Wraps a plain value.</summary>
    public static implicit operator Input<T>(T value) => new(Output.Create(value));

    /// <summary>Wraps an output.</summary>
    public static implicit operator Input<T>(Output<T> output) => new(output ?? throw new ArgumentNullException(nameof(output)));

    /// <summary>Inputs print a reminder, never the value; see <see cref="Output{T}.ToString"/>.</summary>
    public override string ToString() => _output.ToString();
}

/// <summary>
/// A list argument whose items may be plain values or outputs. Build it with a collection expression:
/// <c>Keepers = ["a", role.Name]</c>, or from an array or an output of a list.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[CollectionBuilder(typeof(InputList), nameof(InputList.Create))]
public sealed class InputList<T> : Input<ImmutableArray<T>>, IEnumerable<Input<T>>
{
    private readonly ImmutableArray<Input<T>> _items;

    internal InputList(ImmutableArray<Input<T>> items)
        : base(new Output<ImmutableArray<T>>(new AllNode<T>(items.Select(static i => i.ToOutput().Node).ToImmutableArray()))) =>
        _items = items;

    private InputList(Output<ImmutableArray<T>> output) : base(output) => _items = [];

    /// <summary>An empty list.</summary>
    public static InputList<T> Empty { get; } = new(ImmutableArray<Input<T>>.Empty);

    /// <summary>Wraps an array of plain values.</summary>
    public static implicit operator InputList<T>(T[] values) => new(values.Select(static v => (Input<T>)v).ToImmutableArray());

    /// <summary>Wraps a list of plain values.</summary>
    public static implicit operator InputList<T>(List<T> values) => new(values.Select(static v => (Input<T>)v).ToImmutableArray());

    /// <summary>Wraps an immutable array of plain values.</summary>
    public static implicit operator InputList<T>(ImmutableArray<T> values) => new(values.Select(static v => (Input<T>)v).ToImmutableArray());

    /// <summary>Wraps an output of a list.</summary>
    public static implicit operator InputList<T>(Output<ImmutableArray<T>> output) => new(output);

    /// <summary>Wraps an array of inputs.</summary>
    public static implicit operator InputList<T>(Input<T>[] values) => new(values.ToImmutableArray());

    /// <inheritdoc/>
    public IEnumerator<Input<T>> GetEnumerator() => ((IEnumerable<Input<T>>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Builds <see cref="InputList{T}"/> values from collection expressions.</summary>
public static class InputList
{
    /// <summary>Creates a list from inputs; called by the compiler for <c>[a, b]</c>.</summary>
    public static InputList<T> Create<T>(ReadOnlySpan<Input<T>> items) => new(items.ToImmutableArray());
}

/// <summary>
/// A string-keyed map argument whose values may be plain values or outputs. Build it with an index initializer:
/// <c>new InputMap&lt;string&gt; { ["plan"] = "standard", ["owner"] = role.Name }</c>, or from a dictionary.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class InputMap<T> : Input<ImmutableDictionary<string, T>>
{
    private readonly Dictionary<string, Input<T>> _items;

    /// <summary>Creates an empty map for an index initializer.</summary>
    public InputMap() : this(new Dictionary<string, Input<T>>(StringComparer.Ordinal))
    {
    }

    private InputMap(Dictionary<string, Input<T>> items) : base(BuildOutput(items)) => _items = items;

    private InputMap(Output<ImmutableDictionary<string, T>> output) : base(output) => _items = [];

    /// <summary>Sets a value while the map is being initialized.</summary>
    public Input<T> this[string key]
    {
        set => _items[key] = value;
    }

    /// <summary>Wraps a dictionary of plain values.</summary>
    public static implicit operator InputMap<T>(Dictionary<string, T> values) =>
        new(values.ToDictionary(static kv => kv.Key, static kv => (Input<T>)kv.Value, StringComparer.Ordinal));

    /// <summary>Wraps an immutable dictionary of plain values.</summary>
    public static implicit operator InputMap<T>(ImmutableDictionary<string, T> values) =>
        new(values.ToDictionary(static kv => kv.Key, static kv => (Input<T>)kv.Value, StringComparer.Ordinal));

    /// <summary>Wraps an output of a dictionary.</summary>
    public static implicit operator InputMap<T>(Output<ImmutableDictionary<string, T>> output) => new(output);

    // The node reads the dictionary when evaluated, so entries added by an index initializer are included.
    private static Output<ImmutableDictionary<string, T>> BuildOutput(Dictionary<string, Input<T>> items) =>
        new(new MapNode<T>(items));
}

internal sealed class MapNode<T>(Dictionary<string, Input<T>> items) : OutputNode<ImmutableDictionary<string, T>>
{
    public override async ValueTask<OutputData<ImmutableDictionary<string, T>>> EvaluateAsync(OutputScope scope)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, T>(StringComparer.Ordinal);
        bool known = true, secret = false;
        foreach (var (key, input) in items)
        {
            var data = await input.ToOutput().Node.EvaluateAsync(scope).ConfigureAwait(false);
            known &= data.IsKnown;
            secret |= data.IsSecret;
            builder[key] = data.Value;
        }

        return known
            ? new OutputData<ImmutableDictionary<string, T>>(builder.ToImmutable(), true, secret)
            : OutputData<ImmutableDictionary<string, T>>.Unknown(secret);
    }

    public override void CollectResources(HashSet<Resource> into)
    {
        foreach (var input in items.Values)
        {
            input.ToOutput().Node.CollectResources(into);
        }
    }
}

/// <summary>
/// An output whose value is declared later in the program, for resources that refer to each other. The engine
/// rejects the program if it forms a dependency cycle, and names every resource in it.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class DeferredOutput<T>
{
    private readonly DeferredNode<T> _node = new();

    /// <summary>Creates an unresolved deferred output.</summary>
    public DeferredOutput()
    {
        Output = new Output<T>(_node);
        ProgramContext.Current?.TrackDeferred(() => _node.IsResolved);
    }

    /// <summary>The output to pass to resources now.</summary>
    public Output<T> Output { get; }

    /// <summary>Supplies the expression the output stands for. Call exactly once, before the program returns.</summary>
    public void Resolve(Input<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _node.Resolve(value.ToOutput().Node);
    }

    internal bool IsResolved => _node.IsResolved;
}
