namespace Infra.Configuration;

/// <summary>No project file was found in a folder or any folder above it.</summary>
public sealed class ProjectNotFoundException : InfraException
{
    /// <summary>Creates the error for the search that started in <paramref name="directory"/>.</summary>
    public ProjectNotFoundException(string directory)
        : base($"No {ProjectFile.FileName} found in '{directory}' or any folder above it.")
    {
        Directory = directory;
    }

    /// <summary>Where the search started.</summary>
    public string Directory { get; }
}
