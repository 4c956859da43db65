using System.Globalization;
using Infra.Onboarding.Auth;

namespace Infra.Onboarding.Hosting;

/// <summary>
/// <c>token --scope S [--ttl 1h] [--subject NAME]</c>: prints a token signed with the configured key, or the
/// development key when none is configured, and nothing else on stdout.
/// </summary>
internal static class TokenCommand
{
    public static int Run(string[] args, IConfiguration configuration)
    {
        string? scope = null;
        var ttl = TimeSpan.FromHours(1);
        var subject = "developer";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--scope" when value is not null:
                    scope = value;
                    i++;
                    break;
                case "--ttl" when value is not null && ParseDuration(value) is { } parsed:
                    ttl = parsed;
                    i++;
                    break;
                case "--subject" when value is not null:
                    subject = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"error: token: unexpected '{args[i]}'; usage: token --scope admin|operator|tenant:<id> [--ttl 1h] [--subject NAME]");
                    return 1;
            }
        }

        var scopes = scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (scopes.Length == 0 || scopes.FirstOrDefault(static s => !Scopes.IsKnown(s)) is { } unknown)
        {
            Console.Error.WriteLine($"error: token: --scope must be admin, operator or tenant:<id>{(scopes.Length == 0 ? string.Empty : $", not '{scopes.First(static s => !Scopes.IsKnown(s))}'")}.");
            return 1;
        }

        var auth = configuration.GetSection(OnboardingOptions.Section).Get<OnboardingOptions>()?.Auth ?? new AuthOptions();
        Console.Out.WriteLine(Tokens.Mint(auth.SigningKey ?? Tokens.DevelopmentKey, auth.Issuer, auth.Audience, subject, string.Join(' ', scopes), ttl));
        return 0;
    }

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c> (negative values mint expired tokens, for tests).</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
    }
}
