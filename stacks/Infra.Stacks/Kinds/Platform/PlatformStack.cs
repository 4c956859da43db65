using Infra.Providers.Random;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// The <c>platform</c> stack kind: what all tenants share. It holds the platform's identity and the admin
/// credential of its shared services; later parts (cluster, monitoring, backups) add their resources here.
/// </summary>
public sealed class PlatformStack : Stack
{
    /// <summary>Declares the platform stack.</summary>
    public PlatformStack(StackContext context) : base(context)
    {
        var platformId = new RandomUuid("platform-id");
        var adminPassword = new RandomPassword("platform-admin", new RandomPasswordArgs { Length = 32, Special = false });
        context.Export("platformId", platformId.Result);
        context.Export("adminPassword", adminPassword.Result);
    }
}
