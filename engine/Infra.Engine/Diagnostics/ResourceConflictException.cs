namespace Infra;

/// <summary>
/// What a resource declares already exists outside the engine and differs from the declaration, so create refused to
/// adopt it. Importing it by <see cref="ImportId"/> adopts it as it is; changing it or the declaration so they match
/// lets create adopt it.
/// </summary>
public sealed class ResourceConflictException : ResourceException
{
    /// <summary>Creates the error for the resource <paramref name="urn"/>.</summary>
    /// <param name="urn">The resource.</param>
    /// <param name="existing">What exists and how it differs, e.g. <c>role 'x' already exists and differs from the declaration (login: false)</c>.</param>
    /// <param name="type">The resource's type token, to import it with.</param>
    /// <param name="importId">The provider ID to import it with.</param>
    public ResourceConflictException(string urn, string existing, string type, string importId)
        : base(urn, $"{existing}; nothing was changed. Adopt it as it is by importing {type} with ID '{importId}', or change it (or the declaration) so they match.")
    {
        Existing = existing;
        Type = type;
        ImportId = importId;
    }

    /// <summary>What exists and how it differs.</summary>
    public string Existing { get; }

    /// <summary>The resource's type token.</summary>
    public string Type { get; }

    /// <summary>The provider ID that imports what exists.</summary>
    public string ImportId { get; }
}
