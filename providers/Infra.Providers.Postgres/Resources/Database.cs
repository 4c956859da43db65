namespace Infra.Providers.Postgres;

/// <summary>Args for <see cref="Database"/>.</summary>
public sealed record DatabaseArgs
{
    /// <summary>The database name; changing it replaces the database.</summary>
    public required Input<string> Name { get; init; }

    /// <summary>The owning role; defaults to the admin login.</summary>
    public Input<string>? Owner { get; init; }

    /// <summary>The encoding; default UTF8. Changing it replaces the database.</summary>
    public Input<string>? Encoding { get; init; }

    /// <summary>The template to copy; the server's default (template1) when unset. Changing it replaces the database.</summary>
    public Input<string>? Template { get; init; }

    /// <summary>Concurrent connections allowed; -1 (the default) for no limit.</summary>
    public Input<int>? ConnectionLimit { get; init; }
}

/// <summary>A database (<c>postgres:index:Database</c>). Protect it: a replacement drops its data.</summary>
public sealed class Database : CustomResource
{
    /// <summary>Declares a database.</summary>
    public Database(string name, DatabaseArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.Database, name, args, options)
    {
    }

    /// <summary>The database name.</summary>
    public Output<string> DatabaseName => GetOutput<string>("name");

    /// <summary>The owning role.</summary>
    public Output<string> Owner => GetOutput<string>("owner");

    /// <summary>The server's host (from the admin connection).</summary>
    public Output<string> Host => GetOutput<string>("host");

    /// <summary>The server's port (from the admin connection).</summary>
    public Output<int> Port => GetOutput<int>("port");
}
