namespace Infra.Providers.Random;

/// <summary>A random string that is not secret, e.g. a name suffix.</summary>
public sealed class RandomString : CustomResource
{
    /// <summary>Declares a random string.</summary>
    public RandomString(string name, RandomStringArgs args, CustomResourceOptions? options = null)
        : base(RandomProvider.StringType, name, args, options)
    {
    }

    /// <summary>The generated string.</summary>
    public Output<string> Result => GetOutput<string>("result");
}
