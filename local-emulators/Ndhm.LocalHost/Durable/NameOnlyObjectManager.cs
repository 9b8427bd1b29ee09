using DurableTask.Core;

namespace Ndhm.LocalHost.Durable;

/// <summary>
/// Looks orchestrations and activities up by name only. Function-based orchestrations are not versioned, and the
/// SDK shims may schedule work with a null or empty version; DTFx's own manager would treat those as different
/// keys and report "not found".
/// </summary>
internal sealed class NameOnlyObjectManager<T> : INameVersionObjectManager<T>
{
    private readonly Dictionary<string, ObjectCreator<T>> creators = new(StringComparer.OrdinalIgnoreCase);

    public void Add(ObjectCreator<T> creator)
    {
        if (!creators.TryAdd(creator.Name, creator))
        {
            throw new InvalidOperationException($"'{creator.Name}' is registered twice.");
        }
    }

    public T? GetObject(string name, string? version) =>
        creators.TryGetValue(name, out var creator) ? creator.Create() : default;
}

internal sealed class DelegateCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> create;

    public DelegateCreator(string name, Func<T> create)
    {
        this.create = create;
        Name = name;
        Version = string.Empty;
    }

    public override T Create() => create();
}
