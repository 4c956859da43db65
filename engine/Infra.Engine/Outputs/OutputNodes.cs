using System.Collections.Immutable;
using Infra.Values;

namespace Infra;

/// <summary>An untyped view of an output expression, for code that walks inputs without knowing their types.</summary>
internal interface IOutputNode
{
    /// <summary>Adds every resource this expression reads to <paramref name="into"/>.</summary>
    void CollectResources(HashSet<Resource> into);

    /// <summary>Evaluates the expression and boxes the value.</summary>
    ValueTask<OutputData<object?>> EvaluateBoxedAsync(OutputScope scope);
}

/// <summary>A typed node of an output expression tree. Nodes are immutable and can be evaluated in many scopes.</summary>
internal abstract class OutputNode<T> : IOutputNode
{
    public abstract ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope);

    public abstract void CollectResources(HashSet<Resource> into);

    public async ValueTask<OutputData<object?>> EvaluateBoxedAsync(OutputScope scope)
    {
        var data = await EvaluateAsync(scope).ConfigureAwait(false);
        return new OutputData<object?>(data.Value, data.IsKnown, data.IsSecret);
    }
}

internal sealed class ConstantNode<T>(OutputData<T> data) : OutputNode<T>
{
    public OutputData<T> Data { get; } = data;

    public override ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope) => ValueTask.FromResult(Data);

    public override void CollectResources(HashSet<Resource> into)
    {
    }
}

/// <summary>A value computed by a task started while the program ran (<see cref="Output.Create{T}(Task{T})"/>).</summary>
internal sealed class TaskNode<T>(Task<T> task, bool isSecret) : OutputNode<T>
{
    public override async ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope) =>
        new(await task.ConfigureAwait(false), true, isSecret);

    public override void CollectResources(HashSet<Resource> into)
    {
    }
}

/// <summary>Reads one output property (or, with a null property, the ID) of a resource.</summary>
internal sealed class ResourcePropertyNode<T>(Resource resource, string? property) : OutputNode<T>
{
    public override async ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope)
    {
        var resolved = await scope.ResolveAsync(resource).ConfigureAwait(false);
        var value = property is null
            ? resolved.Id
            : resolved.Outputs.GetValueOrDefault(property) ?? (resolved.Predicted ? PropertyValue.Unknown : PropertyValue.Null);
        var isSecret = value.ContainsSecrets;
        if (!value.IsFullyKnown)
        {
            return OutputData<T>.Unknown(isSecret);
        }

        var converted = ValueConverter.FromProperty<T>(value.RevealAll(), resource.Urn, property ?? "id");
        return new OutputData<T>(converted, true, isSecret);
    }

    public override void CollectResources(HashSet<Resource> into) => into.Add(resource);
}

/// <summary>Runs a user function over a known value; unknown in, unknown out, and secret in, secret out.</summary>
internal sealed class ApplyNode<TIn, TOut>(OutputNode<TIn> source, Func<TIn, OutputScope, Task<OutputData<TOut>>> func)
    : OutputNode<TOut>
{
    public override async ValueTask<OutputData<TOut>> EvaluateAsync(OutputScope scope)
    {
        var input = await source.EvaluateAsync(scope).ConfigureAwait(false);
        if (!input.IsKnown)
        {
            return OutputData<TOut>.Unknown(input.IsSecret);
        }

        var result = await scope.Memoize(this, () => func(input.Value, scope)).ConfigureAwait(false);
        return result with { IsSecret = result.IsSecret || input.IsSecret };
    }

    public override void CollectResources(HashSet<Resource> into) => source.CollectResources(into);
}

/// <summary>Applies or removes the secret mark.</summary>
internal sealed class SecretNode<T>(OutputNode<T> source, bool isSecret) : OutputNode<T>
{
    public override async ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope)
    {
        var data = await source.EvaluateAsync(scope).ConfigureAwait(false);
        return data with { IsSecret = isSecret };
    }

    public override void CollectResources(HashSet<Resource> into) => source.CollectResources(into);
}

/// <summary>Combines several outputs into one list: known when all are, secret when any is.</summary>
internal sealed class AllNode<T>(ImmutableArray<OutputNode<T>> items) : OutputNode<ImmutableArray<T>>
{
    public override async ValueTask<OutputData<ImmutableArray<T>>> EvaluateAsync(OutputScope scope)
    {
        var values = ImmutableArray.CreateBuilder<T>(items.Length);
        bool known = true, secret = false;
        foreach (var item in items)
        {
            var data = await item.EvaluateAsync(scope).ConfigureAwait(false);
            known &= data.IsKnown;
            secret |= data.IsSecret;
            values.Add(data.Value);
        }

        return known
            ? new OutputData<ImmutableArray<T>>(values.MoveToImmutable(), true, secret)
            : OutputData<ImmutableArray<T>>.Unknown(secret);
    }

    public override void CollectResources(HashSet<Resource> into)
    {
        foreach (var item in items)
        {
            item.CollectResources(into);
        }
    }
}

/// <summary>Combines outputs of different types; the combiner sees boxed values in order.</summary>
internal sealed class CombineNode<T>(ImmutableArray<IOutputNode> items, Func<object?[], T> combine) : OutputNode<T>
{
    public override async ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope)
    {
        var values = new object?[items.Length];
        bool known = true, secret = false;
        for (var i = 0; i < items.Length; i++)
        {
            var data = await items[i].EvaluateBoxedAsync(scope).ConfigureAwait(false);
            known &= data.IsKnown;
            secret |= data.IsSecret;
            values[i] = data.Value;
        }

        return known ? new OutputData<T>(combine(values), true, secret) : OutputData<T>.Unknown(secret);
    }

    public override void CollectResources(HashSet<Resource> into)
    {
        foreach (var item in items)
        {
            item.CollectResources(into);
        }
    }
}

/// <summary>An output whose expression is supplied later by <see cref="DeferredOutput{T}.Resolve"/>.</summary>
internal sealed class DeferredNode<T> : OutputNode<T>
{
    private OutputNode<T>? _target;

    public bool IsResolved => _target is not null;

    public void Resolve(OutputNode<T> target)
    {
        if (Interlocked.CompareExchange(ref _target, target, null) is not null)
        {
            throw new InvalidOperationException("A deferred output can be resolved only once.");
        }
    }

    public override ValueTask<OutputData<T>> EvaluateAsync(OutputScope scope) =>
        (_target ?? throw new InfraException("A DeferredOutput was never resolved: call Resolve before the program returns."))
            .EvaluateAsync(scope);

    public override void CollectResources(HashSet<Resource> into) => _target?.CollectResources(into);
}
