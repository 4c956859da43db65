using System.Collections.Immutable;
using System.Text.Json;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Protocol;

/// <summary>Params of <c>handshake</c>, the first call on every connection.</summary>
/// <param name="Protocol">The protocol the engine speaks, <see cref="PluginProtocol.Version"/>.</param>
/// <param name="EngineVersion">The engine's version, for the plugin's log.</param>
public sealed record HandshakeRequest(string Protocol, string EngineVersion);

/// <summary>Result of <c>handshake</c>: who the plugin is and what it serves.</summary>
/// <param name="Name">The plugin's name, e.g. <c>dns</c>; a provider's name is its package.</param>
/// <param name="Version">The plugin's version (semantic).</param>
/// <param name="Protocol">The protocol it speaks; anything but <see cref="PluginProtocol.Version"/> is refused.</param>
/// <param name="Capabilities"><see cref="PluginProtocol.ProviderCapability"/> and/or <see cref="PluginProtocol.PolicyCapability"/>.</param>
public sealed record PluginInfo(string Name, string Version, string Protocol, ImmutableArray<string> Capabilities)
{
    /// <summary>True when the plugin announced <paramref name="capability"/>.</summary>
    public bool Has(string capability) => !Capabilities.IsDefault && Capabilities.Contains(capability, StringComparer.Ordinal);
}

/// <summary>Params of <c>configure</c>: the provider's <see cref="ProviderContext"/> without the other namespaces.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="ProjectName">The project.</param>
/// <param name="ProjectDirectory">The project folder (a sandboxed plugin cannot read it).</param>
/// <param name="Config">The stack's config in the provider's namespace, without the prefix; secrets marked, in plaintext.</param>
/// <param name="IsPreview">True when the operation is a preview.</param>
public sealed record ConfigureRequest(string StackName, string ProjectName, string ProjectDirectory, PropertyMap Config, bool IsPreview);

/// <summary>Result of <c>getSchema</c>: what a provider serves.</summary>
/// <param name="Package">The package, the first part of every type token.</param>
/// <param name="Resources">Each resource type token with its description and JSON Schemas.</param>
/// <param name="Config">A JSON Schema of the provider's config namespace, if it declares one.</param>
public sealed record PluginSchema(string Package, ImmutableDictionary<string, ResourceTypeSchema> Resources, JsonElement? Config = null);

/// <summary>One resource type a provider serves.</summary>
/// <param name="Description">What the resource is.</param>
/// <param name="Inputs">A JSON Schema (draft 2020-12) of its inputs, if declared.</param>
/// <param name="Outputs">A JSON Schema of its outputs, if declared.</param>
public sealed record ResourceTypeSchema(string? Description = null, JsonElement? Inputs = null, JsonElement? Outputs = null);
