namespace Infra.Architecture.Tests;

/// <summary>Checks projects against <see cref="Layers"/>; returns one line per broken rule, naming both projects.</summary>
internal static class LayerRules
{
    public static IEnumerable<string> Violations(IEnumerable<ProjectFile> projects)
    {
        foreach (var project in projects)
        {
            var layer = Layers.Of(project.Path);
            foreach (var reference in project.ProjectReferences)
            {
                var target = Layers.Of(reference);
                if (layer is null)
                {
                    continue;
                }

                if (target is null)
                {
                    yield return $"{project.Path} ({layer}) references {reference}, a test or benchmark project.";
                }
                else if (!Layers.Reachable(layer, Layers.Edges).Contains(target))
                {
                    yield return $"{project.Path} ({layer}) references {reference} ({target}), a layer it must not reach.";
                }
            }

            // Its project references already reach nowhere; packages would be pulled into every layer that follows it.
            if (layer == Layers.Conventions && project.PackageReferences.Count > 0)
            {
                yield return $"{project.Path} holds the conventions every layer may use, so it must reference no package ({string.Join(", ", project.PackageReferences)}).";
            }

            if (Path.GetFileName(project.Path) == Layers.EngineCoreProject)
            {
                foreach (var driver in project.PackageReferences.Where(Layers.Drivers.Contains))
                {
                    yield return $"{project.Path} is the engine core and references the database driver {driver}; drivers belong to engine/Infra.State.*.";
                }

                foreach (var reference in project.ProjectReferences)
                {
                    yield return $"{project.Path} is the engine core and references {reference}; it references no project.";
                }
            }
        }
    }
}
