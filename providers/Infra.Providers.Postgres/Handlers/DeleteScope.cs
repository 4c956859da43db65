using System.Collections.Immutable;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// Which databases one destroy reaches, from the resources it deletes: those it drops, and those it changes by
/// deleting something inside them (a grant, a schema, default privileges, an extension, whose IDs begin with their
/// database). What a role holds there is gone, or may be, by the time the role is dropped.
/// </summary>
internal sealed class DeleteScope
{
    private DeleteScope(ImmutableHashSet<string> dropped, ImmutableHashSet<string> reached)
    {
        Dropped = dropped;
        Reached = reached;
    }

    /// <summary>The databases the destroy drops.</summary>
    public ImmutableHashSet<string> Dropped { get; }

    /// <summary>The databases the destroy drops or deletes something in.</summary>
    public ImmutableHashSet<string> Reached { get; }

    /// <summary>The scope of a destroy that deletes <paramref name="deleted"/>.</summary>
    public static DeleteScope Of(IEnumerable<DeletedObject> deleted)
    {
        var postgres = deleted.Where(static d => d.Type.StartsWith(PostgresProvider.PackageName + ":", StringComparison.Ordinal)).ToList();
        var dropped = postgres.Where(static d => d.Type == PostgresTypes.Database).Select(static d => d.Id).ToImmutableHashSet(StringComparer.Ordinal);
        var inside = postgres
            .Where(static d => d.Type is PostgresTypes.Grant or PostgresTypes.Revoke or PostgresTypes.Schema or PostgresTypes.Extension or PostgresTypes.DefaultPrivileges)
            .Select(static d => d.Id.Split('/')[0]);
        return new DeleteScope(dropped, dropped.Union(inside));
    }
}
