namespace Infra;

/// <summary>
/// A destroy found, before its first delete, that deleting this resource would fail; the destroy stopped with nothing
/// deleted. <see cref="ResourceException.Reason"/> names what blocks it.
/// </summary>
public sealed class DeleteBlockedException : ResourceException
{
    /// <summary>Creates the error for <paramref name="urn"/>, blocked by <paramref name="blocker"/>.</summary>
    public DeleteBlockedException(string urn, string blocker)
        : base(urn, $"its delete would fail: {blocker}; nothing was deleted.")
    {
        Blocker = blocker;
    }

    /// <summary>What blocks the delete, as the provider said it.</summary>
    public string Blocker { get; }
}
