using System.Collections.Immutable;
using Infra.Configuration;

namespace Infra;

/// <summary>
/// Collects what one run of a stack program declares: resources, stack outputs and deferred outputs.
/// </summary>
/// <remarks>
/// The current context flows with the program's async calls (an <see cref="AsyncLocal{T}"/>), so many stacks can
/// run their programs at once in one process without sharing anything.
/// </remarks>
internal sealed class ProgramContext
{
    private static readonly AsyncLocal<ProgramContext?> s_current = new();

    private readonly object _gate = new();
    private readonly List<Resource> _resources = [];
    private readonly Dictionary<string, Resource> _byUrn = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, object?>> _outputs = [];
    private readonly List<Func<bool>> _deferred = [];
    private bool _closed;

    public ProgramContext(string stackName, string projectName, StackConfig config, IStackOutputsReader? stackOutputs)
    {
        StackName = stackName;
        ProjectName = projectName;
        Config = config;
        StackOutputs = stackOutputs;
    }

    public static ProgramContext? Current => s_current.Value;

    public string StackName { get; }

    public string ProjectName { get; }

    public StackConfig Config { get; }

    public IStackOutputsReader? StackOutputs { get; }

    public IReadOnlyList<Resource> Resources
    {
        get
        {
            lock (_gate)
            {
                return [.. _resources];
            }
        }
    }

    public ImmutableArray<KeyValuePair<string, object?>> Outputs
    {
        get
        {
            lock (_gate)
            {
                return [.. _outputs];
            }
        }
    }

    /// <summary>Makes this the current context for the calling flow until the returned scope is disposed.</summary>
    public IDisposable Enter()
    {
        var previous = s_current.Value;
        s_current.Value = this;
        return new Restore(previous);
    }

    /// <summary>Stops accepting declarations: anything declared later (e.g. inside Apply) is an error.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    /// <summary>Number of <see cref="DeferredOutput{T}"/>s declared but never resolved.</summary>
    public int UnresolvedDeferredCount
    {
        get
        {
            lock (_gate)
            {
                return _deferred.Count(static resolved => !resolved());
            }
        }
    }

    public void TrackDeferred(Func<bool> isResolved)
    {
        lock (_gate)
        {
            _deferred.Add(isResolved);
        }
    }

    public void Register(Resource resource)
    {
        lock (_gate)
        {
            ThrowIfClosed($"resource '{resource.Urn}'");
            if (_byUrn.TryGetValue(resource.Urn, out var existing))
            {
                throw new InfraException(
                    $"duplicate resource URN '{resource.Urn}': two resources of type '{resource.Type}' are named '{resource.Name}'" +
                    (resource.Parent is null ? string.Empty : $" under parent '{resource.Parent.Urn}'") +
                    (existing.GetType() == resource.GetType() ? string.Empty : $" (declared as {existing.GetType().Name} and {resource.GetType().Name})") +
                    "; give each a unique name.");
            }

            _byUrn.Add(resource.Urn, resource);
            _resources.Add(resource);
        }
    }

    public void Export(string name, object? value)
    {
        lock (_gate)
        {
            ThrowIfClosed($"stack output '{name}'");
            if (_outputs.Any(o => o.Key == name))
            {
                throw new InfraException($"stack output '{name}' is exported twice; export each name once.");
            }

            _outputs.Add(KeyValuePair.Create(name, value));
        }
    }

    private void ThrowIfClosed(string what)
    {
        if (_closed)
        {
            throw new InfraException(
                $"{what} was declared after the stack program returned (inside Apply or a late task); declare everything " +
                "while the program runs so that preview shows exactly what up will do.");
        }
    }

    private sealed class Restore(ProgramContext? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
