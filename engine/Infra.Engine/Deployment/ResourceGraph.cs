using System.Collections.Immutable;

namespace Infra.Deployment;

/// <summary>
/// The resources a program declared and the edges between them, built once the program returns and before
/// anything is planned. Building it rejects unresolved deferred outputs, resources from another program, and
/// dependency cycles (naming every resource in the cycle).
/// </summary>
internal sealed class ResourceGraph
{
    private ResourceGraph(
        ImmutableArray<Resource> resources,
        ImmutableDictionary<Resource, ImmutableArray<Resource>> dependencies,
        ImmutableDictionary<Resource, ImmutableArray<Resource>> waits)
    {
        Resources = resources;
        Dependencies = dependencies;
        Waits = waits;
        Index = resources.Select(static (r, i) => (r, i)).ToImmutableDictionary(static p => p.r, static p => p.i);
    }

    /// <summary>Resources in declaration order.</summary>
    public ImmutableArray<Resource> Resources { get; }

    /// <summary>Each resource's direct dependencies, as declared (inputs read and DependsOn).</summary>
    public ImmutableDictionary<Resource, ImmutableArray<Resource>> Dependencies { get; }

    /// <summary>What each resource waits for: dependencies with components expanded to their descendants, plus a custom parent.</summary>
    public ImmutableDictionary<Resource, ImmutableArray<Resource>> Waits { get; }

    /// <summary>Declaration index of each resource.</summary>
    public ImmutableDictionary<Resource, int> Index { get; }

    public static ResourceGraph Build(ProgramContext program)
    {
        if (program.UnresolvedDeferredCount > 0)
        {
            throw new InfraException($"{program.UnresolvedDeferredCount} DeferredOutput value(s) were never resolved; call Resolve on each before the program returns.");
        }

        var resources = program.Resources.ToImmutableArray();
        var members = resources.ToHashSet(ReferenceEqualityComparer.Instance);
        var children = new Dictionary<Resource, List<Resource>>(ReferenceEqualityComparer.Instance);
        foreach (var resource in resources)
        {
            if (resource.Parent is { } parent)
            {
                if (!members.Contains(parent))
                {
                    throw new ResourceException(resource.Urn, $"its parent '{parent.Urn}' belongs to another stack program.");
                }

                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(resource);
            }
        }

        var dependencies = ImmutableDictionary.CreateBuilder<Resource, ImmutableArray<Resource>>(ReferenceEqualityComparer.Instance);
        var waits = ImmutableDictionary.CreateBuilder<Resource, ImmutableArray<Resource>>(ReferenceEqualityComparer.Instance);
        foreach (var resource in resources)
        {
            var direct = resource.DeclaredDependencies();
            foreach (var dependency in direct)
            {
                if (!members.Contains(dependency))
                {
                    throw new ResourceException(resource.Urn, $"it depends on '{dependency.Urn}', which belongs to another stack program.");
                }
            }

            dependencies[resource] = direct;
            var wait = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
            foreach (var dependency in direct)
            {
                wait.Add(dependency);
                if (!dependency.IsCustom)
                {
                    AddDescendants(dependency, children, wait);
                }
            }

            if (resource.Parent is { IsCustom: true } customParent)
            {
                wait.Add(customParent);
            }

            wait.Remove(resource);
            waits[resource] = [.. wait];
        }

        var graph = new ResourceGraph(resources, dependencies.ToImmutable(), waits.ToImmutable());
        graph.ThrowOnCycle();
        return graph;
    }

    private static void AddDescendants(Resource root, Dictionary<Resource, List<Resource>> children, HashSet<Resource> into)
    {
        if (!children.TryGetValue(root, out var list))
        {
            return;
        }

        foreach (var child in list)
        {
            if (into.Add(child))
            {
                AddDescendants(child, children, into);
            }
        }
    }

    private void ThrowOnCycle()
    {
        // Iterative DFS with colours: 0 = unvisited, 1 = on the current path, 2 = done.
        var colour = new Dictionary<Resource, int>(ReferenceEqualityComparer.Instance);
        var path = new List<Resource>();
        foreach (var start in Resources)
        {
            if (colour.GetValueOrDefault(start) != 0)
            {
                continue;
            }

            var stack = new Stack<(Resource Node, int Next)>();
            stack.Push((start, 0));
            colour[start] = 1;
            path.Add(start);
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var edges = Waits[node];
                if (next < edges.Length)
                {
                    stack.Push((node, next + 1));
                    var target = edges[next];
                    var state = colour.GetValueOrDefault(target);
                    if (state == 1)
                    {
                        var cycle = path.Skip(path.IndexOf(target)).Append(target).Select(static r => r.Urn);
                        throw new InfraException($"dependency cycle: {string.Join(" -> ", cycle)}; break it by removing one of these references.");
                    }

                    if (state == 0)
                    {
                        colour[target] = 1;
                        path.Add(target);
                        stack.Push((target, 0));
                    }
                }
                else
                {
                    colour[node] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
    }

    /// <summary>The URNs of the resources that (transitively) wait for any of <paramref name="roots"/>.</summary>
    public ImmutableHashSet<string> DependentsOf(IEnumerable<string> roots)
    {
        var reverse = new Dictionary<Resource, List<Resource>>(ReferenceEqualityComparer.Instance);
        foreach (var (resource, waits) in Waits)
        {
            foreach (var wait in waits)
            {
                if (!reverse.TryGetValue(wait, out var list))
                {
                    reverse[wait] = list = [];
                }

                list.Add(resource);
            }
        }

        var rootSet = roots.ToHashSet(StringComparer.Ordinal);
        var queue = new Queue<Resource>(Resources.Where(r => rootSet.Contains(r.Urn)));
        var found = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            foreach (var dependent in reverse.GetValueOrDefault(next) ?? [])
            {
                if (found.Add(dependent.Urn))
                {
                    queue.Enqueue(dependent);
                }
            }
        }

        return [.. found];
    }
}
