using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Infra.Onboarding.Auth;

/// <summary>
/// The local development signing key and the tokens it mints (<c>scripts/onboarding.sh token --scope S</c>).
/// DEVELOPMENT ONLY: the key is public in this repository, so anyone can mint any token with it. The service refuses
/// it outside the Development environment; production configures <c>Onboarding:Auth:Authority</c> (an OpenID Connect
/// issuer) or its own <c>Onboarding:Auth:SigningKey</c>.
/// </summary>
internal static class Tokens
{
    /// <summary>The development key (base64, 256 bits). Public: never use it outside a developer's machine.</summary>
    public const string DevelopmentKey = "ZGV2ZWxvcG1lbnQtb25seS1vbmJvYXJkaW5nLWtleS0wMDAwMDAwMDAwMDAwMDAw";

    public static SymmetricSecurityKey KeyFrom(string base64) => new(Convert.FromBase64String(base64));

    /// <summary>Mints a token for <paramref name="subject"/> with <paramref name="scope"/>, valid for <paramref name="lifetime"/>.</summary>
    public static string Mint(string signingKey, string issuer, string audience, string subject, string scope, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        var expires = now + lifetime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim(Scopes.Claim, scope)]),
            // An already-expired token (tests of the 401) must still be valid as a token: not-before precedes expiry.
            NotBefore = expires < now ? expires.AddMinutes(-1) : now.AddSeconds(-5),
            IssuedAt = expires < now ? expires.AddMinutes(-1) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(KeyFrom(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
