using System.Collections.Immutable;
using System.Globalization;

namespace Infra;

/// <summary>
/// A value that may not be known until resources are applied, such as a generated password or a database host.
/// Transform it with <see cref="Apply{TResult}(Func{T, TResult})"/>; combine several with <see cref="Output.All{T}(Input{T}[])"/>
/// or <see cref="Output.Format"/>. Secrets stay secret through every expression built on them, and in a preview
/// an expression over an unknown value is itself unknown.
/// </summary>
/// <typeparam name="T">The type of the eventual value.</typeparam>
/// <example>
/// <code>
/// var url = Output.Format($"postgres://{role.Name}@{host}:5432/{db.Name}");
/// var upper = password.Result.Apply(p =&gt; p.ToUpperInvariant()); // still secret
/// </code>
/// </example>
public sealed class Output<T> : IOutputSource
{
    internal Output(OutputNode<T> node) => Node = node;

    internal OutputNode<T> Node { get; }

    IOutputNode IOutputSource.Node => Node;

    /// <summary>Transforms the value once it is known.</summary>
    public Output<TResult> Apply<TResult>(Func<T, TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return new Output<TResult>(new ApplyNode<T, TResult>(Node, (value, _) => Task.FromResult(new OutputData<TResult>(func(value), true, false))));
    }

    /// <summary>Transforms the value with an asynchronous function once it is known.</summary>
    public Output<TResult> Apply<TResult>(Func<T, Task<TResult>> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return new Output<TResult>(new ApplyNode<T, TResult>(Node, async (value, _) =>
            new OutputData<TResult>(await func(value).ConfigureAwait(false), true, false)));
    }

    /// <summary>Transforms the value into another output and flattens the result.</summary>
    public Output<TResult> Apply<TResult>(Func<T, Output<TResult>> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return new Output<TResult>(new ApplyNode<T, TResult>(Node, async (value, scope) =>
            await func(value).Node.EvaluateAsync(scope).ConfigureAwait(false)));
    }

    /// <summary>Marks this value, and everything computed from it, as secret.</summary>
    public Output<T> AsSecret() => new(new SecretNode<T>(Node, isSecret: true));

    /// <summary>
    /// Outputs cannot be turned into strings directly, because the value may be unknown or secret. This returns a
    /// reminder instead of the value; use <see cref="Apply{TResult}(Func{T, TResult})"/> or <see cref="Output.Format"/>.
    /// </summary>
    public override string ToString() =>
        $"Output<{typeof(T).Name}> (an output's value is not available here; use Apply or Output.Format to build strings from it)";
}

/// <summary>Factory and combinator methods for <see cref="Output{T}"/>.</summary>
public static class Output
{
    /// <summary>Wraps a known value.</summary>
    public static Output<T> Create<T>(T value) => new(new ConstantNode<T>(new OutputData<T>(value, true, false)));

    /// <summary>Wraps a value produced by a task.</summary>
    public static Output<T> Create<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new Output<T>(new TaskNode<T>(task, isSecret: false));
    }

    /// <summary>Wraps a known value as a secret.</summary>
    public static Output<T> CreateSecret<T>(T value) => new(new ConstantNode<T>(new OutputData<T>(value, true, true)));

    /// <summary>Marks an output as secret.</summary>
    public static Output<T> CreateSecret<T>(Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.AsSecret();
    }

    /// <summary>Removes the secret mark. Use only for values proven not to be sensitive.</summary>
    public static Output<T> Unsecret<T>(Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new Output<T>(new SecretNode<T>(output.Node, isSecret: false));
    }

    /// <summary>Combines inputs into one output holding all their values, in order.</summary>
    public static Output<ImmutableArray<T>> All<T>(params Input<T>[] inputs) => All((IEnumerable<Input<T>>)inputs);

    /// <summary>Combines outputs into one output holding all their values, in order.</summary>
    public static Output<ImmutableArray<T>> All<T>(params Output<T>[] outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return new Output<ImmutableArray<T>>(new AllNode<T>(outputs.Select(static o => o.Node).ToImmutableArray()));
    }

    /// <summary>Combines inputs into one output holding all their values, in order.</summary>
    public static Output<ImmutableArray<T>> All<T>(IEnumerable<Input<T>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return new Output<ImmutableArray<T>>(new AllNode<T>(inputs.Select(static i => i.ToOutput().Node).ToImmutableArray()));
    }

    /// <summary>Combines two inputs of different types.</summary>
    public static Output<(T1, T2)> Tuple<T1, T2>(Input<T1> first, Input<T2> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return new Output<(T1, T2)>(new CombineNode<(T1, T2)>(
            [first.ToOutput().Node, second.ToOutput().Node],
            static v => ((T1)v[0]!, (T2)v[1]!)));
    }

    /// <summary>Combines three inputs of different types.</summary>
    public static Output<(T1, T2, T3)> Tuple<T1, T2, T3>(Input<T1> first, Input<T2> second, Input<T3> third)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(third);
        return new Output<(T1, T2, T3)>(new CombineNode<(T1, T2, T3)>(
            [first.ToOutput().Node, second.ToOutput().Node, third.ToOutput().Node],
            static v => ((T1)v[0]!, (T2)v[1]!, (T3)v[2]!)));
    }

    /// <summary>
    /// Builds a string from an interpolated string whose holes may be outputs or inputs. The result is unknown
    /// while any hole is, and secret when any hole is.
    /// </summary>
    /// <example><c>Output.Format($"https://{domain}/tenants/{tenantId}")</c></example>
    public static Output<string> Format(FormattableString formattable)
    {
        ArgumentNullException.ThrowIfNull(formattable);
        var arguments = formattable.GetArguments();
        var nodes = arguments
            .Select(static a => a is IOutputSource source ? source.Node : new ConstantNode<object?>(new OutputData<object?>(a, true, false)))
            .ToImmutableArray();
        var format = formattable.Format;
        return new Output<string>(new CombineNode<string>(nodes, values => string.Format(CultureInfo.InvariantCulture, format, values)));
    }

    /// <summary>An output that is not known; for tests and providers' previews.</summary>
    internal static Output<T> Unknown<T>(bool isSecret = false) => new(new ConstantNode<T>(OutputData<T>.Unknown(isSecret)));
}
