namespace Infra.Providers.Postgres;

/// <summary>Args for <see cref="Extension"/>.</summary>
public sealed record ExtensionArgs
{
    /// <summary>The extension, e.g. <c>citext</c>.</summary>
    public required Input<string> Name { get; init; }

    /// <summary>The database it is installed in.</summary>
    public required Input<string> Database { get; init; }

    /// <summary>The schema for its objects; the server's choice when unset.</summary>
    public Input<string>? Schema { get; init; }

    /// <summary>The version; the default version when unset.</summary>
    public Input<string>? Version { get; init; }
}

/// <summary>An extension installed in a database (<c>postgres:index:Extension</c>).</summary>
public sealed class Extension : CustomResource
{
    /// <summary>Declares an extension.</summary>
    public Extension(string name, ExtensionArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.Extension, name, args, options)
    {
    }
}
