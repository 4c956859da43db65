using System.Security.Cryptography;
using System.Text;

namespace Infra.Providers.Postgres.Sql;

/// <summary>
/// SCRAM-SHA-256 password verifiers, as PostgreSQL stores them in <c>pg_authid.rolpassword</c>. The provider
/// sends a verifier, never the password, in CREATE/ALTER ROLE (so <c>log_statement = ddl</c> cannot log a
/// password), and compares a stored verifier with the declared password to notice a password changed by hand.
/// </summary>
internal static class ScramVerifier
{
    private const int Iterations = 4096;

    /// <summary>Builds <c>SCRAM-SHA-256$4096:salt$StoredKey:ServerKey</c> with a fresh random salt.</summary>
    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var (storedKey, serverKey) = Keys(password, salt, Iterations);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>
    /// True when <paramref name="stored"/> verifies <paramref name="password"/>; <see langword="null"/> when the stored
    /// form cannot be checked (an unknown format).
    /// </summary>
    public static bool? Matches(string? stored, string password, string roleName)
    {
        if (stored is null)
        {
            return false;
        }

        if (stored.StartsWith("md5", StringComparison.Ordinal) && stored.Length == 35)
        {
            // Verifying the server's legacy md5 format, never choosing it: new passwords are always SCRAM.
#pragma warning disable CA5351
            var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(password + roleName)));
#pragma warning restore CA5351
            return string.Equals(stored[3..], md5, StringComparison.Ordinal);
        }

        // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        var parts = stored.Split('$');
        if (parts.Length != 3 || parts[0] != "SCRAM-SHA-256")
        {
            return null;
        }

        var head = parts[1].Split(':');
        var keys = parts[2].Split(':');
        if (head.Length != 2 || keys.Length != 2 || !int.TryParse(head[0], out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return null;
        }

        try
        {
            var (storedKey, _) = Keys(password, Convert.FromBase64String(head[1]), iterations);
            return CryptographicOperations.FixedTimeEquals(storedKey, Convert.FromBase64String(keys[0]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static (byte[] StoredKey, byte[] ServerKey) Keys(string password, byte[] salt, int iterations)
    {
        // PostgreSQL applies SASLprep; for the ASCII passwords the platform generates it is the identity.
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return (SHA256.HashData(clientKey), serverKey);
    }
}
