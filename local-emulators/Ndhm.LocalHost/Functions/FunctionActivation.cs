using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Functions;

/// <summary>
/// Function classes are created per invocation, outside DI's own build-time validation; check at start-up that
/// DI can satisfy every constructor, so a missing registration stops the host instead of failing a request.
/// </summary>
public static class FunctionActivation
{
    public static void EnsureConstructible(IServiceProvider services, IEnumerable<FunctionDescriptor> functions)
    {
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        var problems = new List<string>();
        foreach (var type in functions.Where(f => !f.Method.IsStatic).Select(f => f.Method.DeclaringType!).Distinct())
        {
            var constructors = type.GetConstructors();
            if (constructors.Length == 0)
            {
                problems.Add($"{type.Name} has no public constructor");
                continue;
            }

            var missing = constructors
                .Select(c => c.GetParameters().Where(p => !isService.IsService(p.ParameterType) && !p.HasDefaultValue).ToList())
                .OrderBy(m => m.Count)
                .First();
            problems.AddRange(missing.Select(p => $"{type.Name} needs {p.ParameterType.Name}, which is not registered"));
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Function classes cannot be created: " + string.Join("; ", problems));
        }
    }
}
