namespace Infra.Values;

/// <summary>How one property changed between two bags.</summary>
public enum PropertyChangeKind
{
    /// <summary>The property is new.</summary>
    Add,

    /// <summary>The property was removed.</summary>
    Delete,

    /// <summary>The property's value changed.</summary>
    Update,
}

/// <summary>One changed property path.</summary>
/// <param name="Path">Where the change is.</param>
/// <param name="Kind">What kind of change.</param>
/// <param name="Old">The old value, if any.</param>
/// <param name="New">The new value, if any.</param>
public sealed record PropertyChange(PropertyPath Path, PropertyChangeKind Kind, PropertyValue? Old, PropertyValue? New);

/// <summary>Computes structural, path-level differences between property bags.</summary>
public static class PropertyDiff
{
    /// <summary>
    /// Lists the leaf-most changed paths between <paramref name="olds"/> and <paramref name="news"/>. Objects are
    /// compared key by key and arrays element by element; an unknown new value counts as a change.
    /// </summary>
    public static IReadOnlyList<PropertyChange> Compare(PropertyMap olds, PropertyMap news)
    {
        ArgumentNullException.ThrowIfNull(olds);
        ArgumentNullException.ThrowIfNull(news);
        var changes = new List<PropertyChange>();
        CompareMaps(PropertyPath.Root, olds, news, changes);
        return changes;
    }

    /// <summary>True when the two bags differ anywhere.</summary>
    public static bool HasChanges(PropertyMap olds, PropertyMap news) => !olds.Equals(news);

    private static void CompareMaps(PropertyPath path, PropertyMap olds, PropertyMap news, List<PropertyChange> changes)
    {
        foreach (var (key, oldValue) in olds)
        {
            if (!news.TryGetValue(key, out var newValue))
            {
                changes.Add(new PropertyChange(path.Append(key), PropertyChangeKind.Delete, oldValue, null));
            }
            else
            {
                CompareValues(path.Append(key), oldValue, newValue, changes);
            }
        }

        foreach (var (key, newValue) in news)
        {
            if (!olds.ContainsKey(key))
            {
                changes.Add(new PropertyChange(path.Append(key), PropertyChangeKind.Add, null, newValue));
            }
        }
    }

    private static void CompareValues(PropertyPath path, PropertyValue oldValue, PropertyValue newValue, List<PropertyChange> changes)
    {
        if (oldValue.Equals(newValue))
        {
            return;
        }

        // A value that only became (or stopped being) secret has changed, but its content did not: report it
        // at this level without descending, so the diff never compares secret contents piecewise.
        if (oldValue.IsSecret || newValue.IsSecret)
        {
            changes.Add(new PropertyChange(path, PropertyChangeKind.Update, oldValue, newValue));
            return;
        }

        if (oldValue.Kind == PropertyValueKind.Object && newValue.Kind == PropertyValueKind.Object)
        {
            CompareMaps(path, oldValue.AsObject, newValue.AsObject, changes);
            return;
        }

        if (oldValue.Kind == PropertyValueKind.Array && newValue.Kind == PropertyValueKind.Array &&
            oldValue.AsArray.Length == newValue.AsArray.Length)
        {
            for (var i = 0; i < oldValue.AsArray.Length; i++)
            {
                CompareValues(path.Append(i), oldValue.AsArray[i], newValue.AsArray[i], changes);
            }

            return;
        }

        changes.Add(new PropertyChange(path, PropertyChangeKind.Update, oldValue, newValue));
    }

    /// <summary>Lists the paths inside <paramref name="map"/> whose value is unknown.</summary>
    public static IReadOnlyList<PropertyPath> UnknownPaths(PropertyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var paths = new List<PropertyPath>();
        if (!map.IsFullyKnown)
        {
            Collect(PropertyPath.Root, PropertyValue.Create(map), paths);
        }

        return paths;

        static void Collect(PropertyPath path, PropertyValue value, List<PropertyPath> paths)
        {
            switch (value.Kind)
            {
                case PropertyValueKind.Unknown:
                    paths.Add(path);
                    break;
                case PropertyValueKind.Secret:
                    Collect(path, value.SecretValue, paths);
                    break;
                case PropertyValueKind.Object:
                    foreach (var (key, child) in value.AsObject)
                    {
                        Collect(path.Append(key), child, paths);
                    }

                    break;
                case PropertyValueKind.Array:
                    for (var i = 0; i < value.AsArray.Length; i++)
                    {
                        Collect(path.Append(i), value.AsArray[i], paths);
                    }

                    break;
            }
        }
    }
}
