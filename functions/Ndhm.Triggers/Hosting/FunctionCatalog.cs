using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Ndhm.Triggers.Hosting;

public enum TriggerKind
{
    Http,
    Queue,
    Timer,
    Orchestration,
    Activity,
}

/// <summary>One <c>[Function]</c> method and the trigger that starts it.</summary>
public sealed record FunctionDescriptor(
    string Name,
    MethodInfo Method,
    TriggerKind Kind,
    ParameterInfo TriggerParameter,
    Attribute Trigger)
{
    public T TriggerAs<T>() where T : Attribute => (T)Trigger;
}

/// <summary>
/// Finds every <c>[Function]</c> in the trigger assembly the way the Functions SDK indexes them. A function whose
/// trigger is not one the platform supports is an error at start-up, not a silently missing endpoint.
/// </summary>
public static class FunctionCatalog
{
    public static Assembly TriggerAssembly => typeof(FunctionCatalog).Assembly;

    private static readonly Lazy<IReadOnlyList<FunctionDescriptor>> All = new(() => Discover(TriggerAssembly));

    public static IReadOnlyList<FunctionDescriptor> Functions => All.Value;

    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly)
    {
        var functions = new List<FunctionDescriptor>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                {
                    continue;
                }

                functions.Add(Describe(function.Name, method));
            }
        }

        var duplicates = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException(
                $"Function names must be unique: {string.Join(", ", duplicates.Select(d => d.Key))}");
        }

        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static FunctionDescriptor Describe(string name, MethodInfo method)
    {
        RejectUnsupportedBindings(name, method);
        foreach (var parameter in method.GetParameters())
        {
            foreach (var attribute in parameter.GetCustomAttributes())
            {
                TriggerKind? kind = attribute switch
                {
                    HttpTriggerAttribute => TriggerKind.Http,
                    QueueTriggerAttribute => TriggerKind.Queue,
                    TimerTriggerAttribute => TriggerKind.Timer,
                    OrchestrationTriggerAttribute => TriggerKind.Orchestration,
                    ActivityTriggerAttribute => TriggerKind.Activity,
                    TriggerBindingAttribute => throw new NotSupportedException(
                        $"Function '{name}' uses {attribute.GetType().Name}, which the platform does not host. " +
                        "Use an HTTP, Storage queue, timer, orchestration or activity trigger."),
                    _ => null,
                };
                if (kind is { } k)
                {
                    return new FunctionDescriptor(name, method, k, parameter, attribute);
                }
            }
        }

        throw new NotSupportedException($"Function '{name}' ({method.DeclaringType?.Name}.{method.Name}) has no trigger parameter.");
    }

    // Input and output bindings other than the durable client would run in Azure but not in the local host:
    // the platform reaches storage through its own adapters instead, so the two hosts behave the same.
    private static void RejectUnsupportedBindings(string name, MethodInfo method)
    {
        var unsupported = method.GetParameters()
            .SelectMany(p => p.GetCustomAttributes())
            .Concat(method.GetCustomAttributes())
            .Concat(method.ReturnParameter.GetCustomAttributes())
            .Where(a => a is OutputBindingAttribute || (a is InputBindingAttribute && a is not DurableClientAttribute))
            .Select(a => a.GetType().Name)
            .ToList();
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException(
                $"Function '{name}' uses {string.Join(", ", unsupported)}; the platform does not host binding attributes " +
                "other than [DurableClient]. Call the adapter through its port instead.");
        }
    }
}
