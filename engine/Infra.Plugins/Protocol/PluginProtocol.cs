using Infra.Providers;

namespace Infra.Plugins.Protocol;

/// <summary>
/// The one owner of the protocol's names: its version, its method names and the capabilities a plugin announces.
/// The wire format is written down in <c>docs/plugins/protocol.md</c> and <c>docs/plugins/schema/</c>.
/// </summary>
public static class PluginProtocol
{
    /// <summary>The protocol this engine speaks. A plugin that answers the handshake with another is refused.</summary>
    public const string Version = "infra-plugin/1";

    /// <summary>The handshake: the first call on every connection.</summary>
    public const string Handshake = "handshake";

    /// <summary>Provider: the resource types and config keys the provider serves.</summary>
    public const string GetSchema = "getSchema";

    /// <summary>Provider: the stack's config in the provider's namespace, once per process before any resource call.</summary>
    public const string Configure = "configure";

    /// <summary>Provider: <see cref="IResourceProvider.CheckAsync"/>.</summary>
    public const string Check = "check";

    /// <summary>Provider: <see cref="IResourceProvider.DiffAsync"/>.</summary>
    public const string Diff = "diff";

    /// <summary>Provider: <see cref="IResourceProvider.CreateAsync"/>.</summary>
    public const string Create = "create";

    /// <summary>Provider: <see cref="IResourceProvider.ReadAsync"/>.</summary>
    public const string Read = "read";

    /// <summary>Provider: <see cref="IResourceProvider.UpdateAsync"/>.</summary>
    public const string Update = "update";

    /// <summary>Provider: <see cref="IResourceProvider.DeleteAsync"/>.</summary>
    public const string Delete = "delete";

    /// <summary>
    /// Provider: several resource calls in one message (<see cref="BatchRequest"/>), each answered on its own in
    /// <see cref="BatchResponse"/>. Only sent to a plugin that announced <see cref="BatchCapability"/>.
    /// </summary>
    public const string Batch = "batch";

    /// <summary>Policy pack: its policies, levels and config schemas.</summary>
    public const string Describe = "describe";

    /// <summary>Policy pack: one resource policy on one resource.</summary>
    public const string ValidateResource = "validateResource";

    /// <summary>Policy pack: one stack policy on every resource of the stack.</summary>
    public const string ValidateStack = "validateStack";

    /// <summary>Policy pack: one remediating policy rewrites one resource's inputs.</summary>
    public const string Remediate = "remediate";

    /// <summary>The capability of a plugin that serves the provider methods.</summary>
    public const string ProviderCapability = "provider";

    /// <summary>The capability of a plugin that serves the policy methods.</summary>
    public const string PolicyCapability = "policy";

    /// <summary>
    /// The capability of a provider that serves <see cref="Batch"/>. It is optional within <see cref="Version"/>: the
    /// engine sends one request per call to a plugin that does not announce it.
    /// </summary>
    public const string BatchCapability = "batch";

    /// <summary>
    /// The capability of a provider that predicts outputs at preview: the engine sends it <see cref="Create"/> and
    /// <see cref="Update"/> with <c>preview: true</c>. It is optional within <see cref="Version"/>, and as in Pulumi
    /// (<c>supportsPreview</c>) a provider without it gets no preview call: the engine predicts the outputs as the
    /// checked inputs, every other output unknown, and the ID unknown.
    /// </summary>
    public const string PreviewCapability = "preview";

    /// <summary>The resource methods a <see cref="Batch"/> may carry.</summary>
    public static IReadOnlySet<string> BatchableMethods { get; } = new HashSet<string>(StringComparer.Ordinal) { Check, Diff, Create, Read, Update, Delete };
}
