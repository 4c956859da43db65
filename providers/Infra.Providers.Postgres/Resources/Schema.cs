namespace Infra.Providers.Postgres;

/// <summary>Args for <see cref="Schema"/>.</summary>
public sealed record SchemaArgs
{
    /// <summary>The schema name.</summary>
    public required Input<string> Name { get; init; }

    /// <summary>The database it is created in.</summary>
    public required Input<string> Database { get; init; }

    /// <summary>The owning role; defaults to the admin login.</summary>
    public Input<string>? Owner { get; init; }

    /// <summary>On delete, drop what the schema holds too; default false (delete fails while it holds objects).</summary>
    public Input<bool>? DropCascade { get; init; }
}

/// <summary>A schema in a database (<c>postgres:index:Schema</c>).</summary>
public sealed class Schema : CustomResource
{
    /// <summary>Declares a schema.</summary>
    public Schema(string name, SchemaArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.Schema, name, args, options)
    {
    }

    /// <summary>The schema name.</summary>
    public Output<string> SchemaName => GetOutput<string>("name");
}
