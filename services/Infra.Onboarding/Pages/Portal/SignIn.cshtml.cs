using System.Security.Claims;
using Infra.Onboarding.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Infra.Onboarding.Pages.Portal;

/// <summary>Signs in by a pasted token: checked exactly as the API checks bearer tokens, then kept in an encrypted cookie.</summary>
internal sealed class SignInModel(IOptionsMonitor<JwtBearerOptions> jwt) : PageModel
{
    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync([FromForm] string? token)
    {
        var parameters = jwt.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var result = string.IsNullOrWhiteSpace(token) ? null : await new JsonWebTokenHandler().ValidateTokenAsync(token.Trim(), parameters);
        if (result is not { IsValid: true })
        {
            Error = "The token is not valid (expired, or signed by another issuer).";
            return Page();
        }

        var claims = result.ClaimsIdentity.Claims.Where(static c => c.Type is "sub" or "scope").Append(new Claim(PortalClient.TokenClaim, token!.Trim()));
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, "sub", null)));
        return Redirect("/portal");
    }
}
