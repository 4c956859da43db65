using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>The tenant's branding (config <c>tenant:branding</c>), checked so later parts can trust it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed partial record TenantBranding
{
    [JsonPropertyName("primaryColor")]
    public string? PrimaryColor { get; init; }

    [JsonPropertyName("secondaryColor")]
    public string? SecondaryColor { get; init; }

    [JsonPropertyName("logoUrl")]
    public string? LogoUrl { get; init; }

    [JsonPropertyName("customDomain")]
    public string? CustomDomain { get; init; }

    /// <summary>Returns the first problem as (field, message), or <see langword="null"/>.</summary>
    public (string Field, string Message)? Problem()
    {
        if (PrimaryColor is not null && !Color().IsMatch(PrimaryColor))
        {
            return ("primaryColor", $"{ErrorText.Quote(PrimaryColor)} is not a colour like #0055ff");
        }

        if (SecondaryColor is not null && !Color().IsMatch(SecondaryColor))
        {
            return ("secondaryColor", $"{ErrorText.Quote(SecondaryColor)} is not a colour like #1b1f24");
        }

        if (LogoUrl is not null && !(Uri.TryCreate(LogoUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            return ("logoUrl", $"{ErrorText.Quote(LogoUrl)} is not an https:// URL");
        }

        if (CustomDomain is not null && !IsDnsName(CustomDomain))
        {
            return ("customDomain", $"{ErrorText.Quote(CustomDomain)} is not a DNS name like app.acme.com");
        }

        return null;
    }

    /// <summary>True for a DNS name with at least two labels, such as <c>app.acme.com</c>.</summary>
    public static bool IsDnsName(string text) => text.Length <= 253 && Hostname().IsMatch(text);

    [GeneratedRegex(@"^#[0-9A-Fa-f]{6}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Color();

    [GeneratedRegex(@"^(?=.{1,253}\z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Hostname();
}
