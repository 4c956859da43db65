namespace Infra.Configuration;

/// <summary>
/// A host's rule for one config value beyond what <c>Pulumi.yaml</c> declares (a stack kind's id pattern, a known
/// plan, a certificate), checked where the value is set so that a bad one is refused before any preview.
/// </summary>
/// <param name="key">The full config key, e.g. <c>tenant:id</c>.</param>
/// <param name="value">The value being set (plaintext, even for secrets; JSON for structured keys).</param>
/// <param name="settings">The stack's settings as they are before the change (for the stack's kind).</param>
/// <param name="projectDirectory">The project folder, for values that name files.</param>
/// <returns>The problem in the words a preview would use (it follows "config key 'K': "), or <see langword="null"/>.</returns>
public delegate string? ConfigValueRule(string key, string value, StackSettingsFile settings, string projectDirectory);
