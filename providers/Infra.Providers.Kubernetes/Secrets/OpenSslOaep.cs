using System.Runtime.InteropServices;

namespace Infra.Providers.Kubernetes.Secrets;

/// <summary>
/// RSA-OAEP-SHA256 with a label through OpenSSL 3's <c>EVP_PKEY_encrypt</c>, the library .NET itself uses for RSA on
/// Linux. .NET's <see cref="System.Security.Cryptography.RSA"/> takes no OAEP label, and the managed public-key step
/// (<see cref="RsaOaepSha256"/>, <c>BigInteger.ModPow</c>) costs about ten times OpenSSL's on a 4096-bit key: 1.5 to
/// 3 ms per sealed value, six values per tenant. Where OpenSSL 3 is not there (another OS), the managed path is used.
/// </summary>
internal static partial class OpenSslOaep
{
    private const string Library = "libcrypto.so.3";
    private const int OaepPadding = 4; // RSA_PKCS1_OAEP_PADDING

    /// <summary>Encrypts <paramref name="message"/>, or returns <see langword="null"/> when OpenSSL 3 cannot be loaded here.</summary>
    /// <param name="subjectPublicKeyInfo">The RSA public key, DER-encoded SubjectPublicKeyInfo.</param>
    /// <param name="message">The message (a session key).</param>
    /// <param name="label">The OAEP label.</param>
    /// <exception cref="System.Security.Cryptography.CryptographicException">OpenSSL refused the key or the message.</exception>
    public static byte[]? TryEncrypt(byte[] subjectPublicKeyInfo, byte[] message, byte[] label)
    {
        using var key = TryImport(subjectPublicKeyInfo);
        return key is null ? null : Encrypt(key, message, label);
    }

    /// <summary>
    /// Reads an RSA public key once for many encryptions, or returns <see langword="null"/> when OpenSSL 3 cannot be
    /// loaded here. Reading it (OpenSSL 3's decoder) costs more than two encryptions, and every tenant seals with the
    /// same certificate. One key serves many threads at once: OpenSSL only reads it.
    /// </summary>
    /// <param name="subjectPublicKeyInfo">The RSA public key, DER-encoded SubjectPublicKeyInfo.</param>
    /// <exception cref="System.Security.Cryptography.CryptographicException">OpenSSL refused the key.</exception>
    public static PublicKey? TryImport(byte[] subjectPublicKeyInfo)
    {
        ArgumentNullException.ThrowIfNull(subjectPublicKeyInfo);
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Import(subjectPublicKeyInfo);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Encrypts <paramref name="message"/> with a key from <see cref="TryImport"/>.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">OpenSSL refused the message.</exception>
    public static unsafe byte[] Encrypt(PublicKey key, byte[] message, byte[] label)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(label);
        var referenced = false;
        var context = IntPtr.Zero;
        try
        {
            // Held while OpenSSL uses it, so a key dropped from a cache meanwhile is freed only afterwards.
            key.DangerousAddRef(ref referenced);
            context = EvpPkeyCtxNew(key.DangerousGetHandle(), IntPtr.Zero);
            Check(context != IntPtr.Zero, "create an encryption context");
            Check(EvpPkeyEncryptInit(context) > 0, "start an encryption");
            Check(EvpPkeyCtxSetRsaPadding(context, OaepPadding) > 0, "select OAEP");
            Check(EvpPkeyCtxSetRsaOaepMd(context, EvpSha256()) > 0, "select SHA-256 for OAEP");
            Check(EvpPkeyCtxSetRsaMgf1Md(context, EvpSha256()) > 0, "select SHA-256 for MGF1");

            // set0 takes the label's ownership, so it must come from OpenSSL's allocator.
            var owned = CryptoMalloc((nuint)label.Length, IntPtr.Zero, 0);
            Check(owned != IntPtr.Zero, "allocate the label");
            Marshal.Copy(label, 0, owned, label.Length);
            if (EvpPkeyCtxSet0RsaOaepLabel(context, owned, label.Length) <= 0)
            {
                CryptoFree(owned, IntPtr.Zero, 0);
                Check(false, "set the OAEP label");
            }

            nuint length = 0;
            Check(EvpPkeyEncrypt(context, null, &length, message, (nuint)message.Length) > 0, "size the ciphertext");
            var ciphertext = new byte[(int)length];
            fixed (byte* output = ciphertext)
            {
                Check(EvpPkeyEncrypt(context, output, &length, message, (nuint)message.Length) > 0, "encrypt");
            }

            return length == (nuint)ciphertext.Length ? ciphertext : ciphertext[..(int)length];
        }
        finally
        {
            EvpPkeyCtxFree(context);
            if (referenced)
            {
                key.DangerousRelease();
            }
        }
    }

    private static unsafe PublicKey Import(byte[] subjectPublicKeyInfo)
    {
        IntPtr key;
        fixed (byte* der = subjectPublicKeyInfo)
        {
            var cursor = (IntPtr)der;
            key = D2iPubkey(IntPtr.Zero, ref cursor, new CLong(subjectPublicKeyInfo.Length));
        }

        Check(key != IntPtr.Zero, "read the public key");
        return new PublicKey(key);
    }

    private static void Check(bool succeeded, string step)
    {
        if (!succeeded)
        {
            throw new System.Security.Cryptography.CryptographicException($"OpenSSL could not {step} for RSA-OAEP sealing.");
        }
    }

    [LibraryImport(Library, EntryPoint = "d2i_PUBKEY")]
    private static partial IntPtr D2iPubkey(IntPtr existing, ref IntPtr der, CLong length);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_new")]
    private static partial IntPtr EvpPkeyCtxNew(IntPtr key, IntPtr engine);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_encrypt_init")]
    private static partial int EvpPkeyEncryptInit(IntPtr context);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_set_rsa_padding")]
    private static partial int EvpPkeyCtxSetRsaPadding(IntPtr context, int padding);

    [LibraryImport(Library, EntryPoint = "EVP_sha256")]
    private static partial IntPtr EvpSha256();

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_set_rsa_oaep_md")]
    private static partial int EvpPkeyCtxSetRsaOaepMd(IntPtr context, IntPtr digest);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_set_rsa_mgf1_md")]
    private static partial int EvpPkeyCtxSetRsaMgf1Md(IntPtr context, IntPtr digest);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_set0_rsa_oaep_label")]
    private static partial int EvpPkeyCtxSet0RsaOaepLabel(IntPtr context, IntPtr label, int length);

    [LibraryImport(Library, EntryPoint = "CRYPTO_malloc")]
    private static partial IntPtr CryptoMalloc(nuint size, IntPtr file, int line);

    [LibraryImport(Library, EntryPoint = "CRYPTO_free")]
    private static partial void CryptoFree(IntPtr pointer, IntPtr file, int line);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_encrypt")]
    private static unsafe partial int EvpPkeyEncrypt(IntPtr context, byte* output, nuint* outputLength, byte[] input, nuint inputLength);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_free")]
    private static partial void EvpPkeyCtxFree(IntPtr context);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_free")]
    private static partial void EvpPkeyFree(IntPtr key);

    /// <summary>An OpenSSL <c>EVP_PKEY</c> holding an RSA public key, freed when the last user lets go of it.</summary>
    internal sealed class PublicKey : SafeHandle
    {
        internal PublicKey(IntPtr key)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(key);

        /// <inheritdoc/>
        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <inheritdoc/>
        protected override bool ReleaseHandle()
        {
            EvpPkeyFree(handle);
            return true;
        }
    }
}
