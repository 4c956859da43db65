using Infra.State;

namespace Infra.Deployment;

internal sealed partial class Planner
{
    /// <summary>
    /// What this deployment deletes: old copies of resources replaced create-before-delete (<paramref name="replaced"/>),
    /// copies left by an earlier interrupted replacement (unless <paramref name="handledCopies"/> already took them),
    /// and either what the program no longer declares (update; artifacts are never among it) or everything not kept for
    /// protection (destroy; artifacts included).
    /// </summary>
    public IReadOnlyList<DeleteItem> DeleteCandidates(IEnumerable<ResourceState> replaced, IReadOnlySet<string> handledCopies)
    {
        var items = new List<DeleteItem>();
        items.AddRange(replaced.Select(static copy => new DeleteItem(copy, "replaced", Replaced: true)));
        foreach (var copy in _prior.Resources.Where(static r => r.PendingDelete))
        {
            if (!handledCopies.Contains(copy.Urn) && IsTargeted(copy.Urn))
            {
                items.Add(new DeleteItem(copy, "left over from an earlier replacement", Replaced: false));
            }
        }

        if (_kind == DeploymentKind.Destroy)
        {
            var kept = ProtectedClosure();
            items.AddRange(_olds.Values.Where(s => !kept.Contains(s.Urn) && IsTargeted(s.Urn)).Select(static s => new DeleteItem(s, null, Replaced: false)));
            // Protected resources first: they are why the rest stays.
            Kept = [.. kept
                .Where(urn => _olds.ContainsKey(urn) && IsTargeted(urn))
                .OrderBy(urn => !_olds[urn].Protect)
                .ThenBy(static urn => urn, StringComparer.Ordinal)];
        }
        else if (_graph is not null)
        {
            // An artifact was made outside the program (a restored copy), so the program not declaring it says nothing.
            items.AddRange(_olds.Values.Where(s => !_claimedOlds.Contains(s.Urn) && !s.IsArtifact && IsTargeted(s.Urn))
                .Select(static s => new DeleteItem(s, null, Replaced: false)));
        }

        return items;
    }

    /// <summary>Destroy only: the URNs kept because they are protected or attached to a protected resource, once <see cref="DeleteCandidates"/> ran.</summary>
    public IReadOnlyList<string> Kept { get; private set; } = [];

    /// <summary>
    /// The step that deletes <paramref name="item"/> (or forgets it, when it is retained on delete); checked against the
    /// saved plan unless it is the old copy of a replacement, which the plan shows as the replacement itself.
    /// </summary>
    /// <exception cref="ResourceException">An update would delete a protected resource.</exception>
    /// <exception cref="PlanMismatchException">The saved plan did not promise the delete.</exception>
    public PlannedStep Delete(DeleteItem item)
    {
        var state = item.State;
        var step = new PlannedStep
        {
            Urn = state.Urn,
            Type = state.Type,
            Op = state.RetainOnDelete ? StepOp.Forget : StepOp.Delete,
            Custom = state.Custom,
            Parent = state.Parent,
            OldInputs = state.Inputs,
            OldOutputs = state.Outputs,
            Dependencies = state.Dependencies,
            Reason = item.Reason,
        };
        if (!item.Replaced)
        {
            step = Checked(step);
        }

        return state.Protect && _kind == DeploymentKind.Update && !state.PendingDelete
            ? throw new ResourceException(state.Urn, "it is protected and cannot be deleted; declare it again with Protect = false, run up, then remove it.")
            : step;
    }

    /// <summary>
    /// What destroy must keep: protected resources, everything that depends on or sits under one (deleting a schema or
    /// a grant would change a protected database), and everything those depend on or sit under.
    /// </summary>
    private HashSet<string> ProtectedClosure()
    {
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var state in _olds.Values)
        {
            foreach (var upstream in state.Dependencies.Append(state.Parent).OfType<string>())
            {
                if (!dependents.TryGetValue(upstream, out var list))
                {
                    dependents[upstream] = list = [];
                }

                list.Add(state.Urn);
            }
        }

        var attached = new HashSet<string>(StringComparer.Ordinal);
        var down = new Queue<string>(_olds.Values.Where(static r => r.Protect).Select(static r => r.Urn));
        while (down.Count > 0)
        {
            var urn = down.Dequeue();
            if (attached.Add(urn))
            {
                foreach (var dependent in dependents.GetValueOrDefault(urn) ?? [])
                {
                    down.Enqueue(dependent);
                }
            }
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        var up = new Queue<string>(attached);
        while (up.Count > 0)
        {
            var urn = up.Dequeue();
            if (!kept.Add(urn) || !_olds.TryGetValue(urn, out var state))
            {
                continue;
            }

            foreach (var next in state.Dependencies.Append(state.Parent).OfType<string>())
            {
                up.Enqueue(next);
            }
        }

        return kept;
    }
}

/// <summary>A resource a deployment deletes, and why.</summary>
/// <param name="State">Its state.</param>
/// <param name="Reason">Why, when not obvious (<c>replaced</c>…).</param>
/// <param name="Replaced">True for the old copy of a replacement, whose step is the replacement's.</param>
internal sealed record DeleteItem(ResourceState State, string? Reason, bool Replaced);
