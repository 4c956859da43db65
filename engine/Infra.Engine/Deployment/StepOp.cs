namespace Infra.Deployment;

/// <summary>What the engine does to one resource.</summary>
public enum StepOp
{
    /// <summary>Nothing: the resource matches its declaration.</summary>
    Same,

    /// <summary>Create a new resource.</summary>
    Create,

    /// <summary>Update the resource in place.</summary>
    Update,

    /// <summary>Create a replacement, then delete the old resource (or the reverse with DeleteBeforeReplace).</summary>
    Replace,

    /// <summary>Delete a resource no longer declared (or an old copy after a replacement).</summary>
    Delete,

    /// <summary>Adopt an existing resource by ID.</summary>
    Import,

    /// <summary>Read back a resource's live state (refresh).</summary>
    Refresh,

    /// <summary>Forget a resource without deleting it (RetainOnDelete), or drop one found deleted outside the engine.</summary>
    Forget,
}

/// <summary>Names of step operations as written in JSON and shown to people.</summary>
public static class StepOps
{
    /// <summary>The lower-case name of <paramref name="op"/>.</summary>
    public static string Name(StepOp op) => op switch
    {
        StepOp.Same => "same",
        StepOp.Create => "create",
        StepOp.Update => "update",
        StepOp.Replace => "replace",
        StepOp.Delete => "delete",
        StepOp.Import => "import",
        StepOp.Refresh => "refresh",
        StepOp.Forget => "forget",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Parses a name written by <see cref="Name"/>.</summary>
    public static StepOp Parse(string name) => name switch
    {
        "same" => StepOp.Same,
        "create" => StepOp.Create,
        "update" => StepOp.Update,
        "replace" => StepOp.Replace,
        "delete" => StepOp.Delete,
        "import" => StepOp.Import,
        "refresh" => StepOp.Refresh,
        "forget" => StepOp.Forget,
        _ => throw new InfraException($"unknown step operation '{name}'."),
    };

    /// <summary>True for operations that change something.</summary>
    public static bool IsChange(StepOp op) => op is not (StepOp.Same or StepOp.Refresh);
}
