namespace Infra;

/// <summary>
/// A configuration error; the message names the file and, where there is one, the key (quoted with
/// <see cref="ErrorText.Quote"/>, as is any value a message shows).
/// </summary>
public class ConfigException : InfraException
{
    /// <summary>Creates a configuration error for <paramref name="file"/> and <paramref name="key"/>.</summary>
    public ConfigException(string file, string? key, string message, Exception? innerException = null)
        : base(key is null ? $"{file}: {message}" : $"{file}: config key {ErrorText.Quote(key)}: {message}", innerException)
    {
        File = file;
        Key = key;
    }

    /// <summary>The file at fault, relative to the project where possible.</summary>
    public string File { get; }

    /// <summary>The config key at fault, if the error is about one key.</summary>
    public string? Key { get; }
}
