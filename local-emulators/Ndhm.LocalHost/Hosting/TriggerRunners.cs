using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Hosting;

/// <summary>
/// Each part of the local host claims the trigger kinds it runs. At start-up every function in the catalog must
/// be claimed, so a function the host cannot run stops the host instead of silently never firing.
/// </summary>
public sealed class TriggerRunners
{
    private readonly HashSet<TriggerKind> claimed = [];

    public void Claim(TriggerKind kind) => claimed.Add(kind);

    public void EnsureAllClaimed(IEnumerable<FunctionDescriptor> functions)
    {
        var orphans = functions.Where(f => !claimed.Contains(f.Kind)).ToList();
        if (orphans.Count > 0)
        {
            throw new NotSupportedException(
                "The local host cannot run these functions: " +
                string.Join(", ", orphans.Select(f => $"{f.Name} ({f.Kind})")));
        }
    }
}
