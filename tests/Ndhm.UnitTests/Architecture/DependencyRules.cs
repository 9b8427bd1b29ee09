using System.Reflection;
using NetArchTest.Rules;

namespace Ndhm.UnitTests.Architecture;

/// <summary>
/// Finds the types of an assembly that depend on forbidden namespaces: in fields, properties, constructor and method
/// signatures, base types and interfaces, attributes, and the IL of method bodies (NetArchTest reads it with Mono.Cecil).
/// Compiler-made types (lambdas, async state machines) are reported as the type whose code they hold.
/// </summary>
internal static class DependencyRules
{
    /// <summary>The composition roots: static <c>*Services</c> classes that register adapters behind their ports.</summary>
    public static bool IsCompositionRoot(Type type) => Outermost(type) is { IsAbstract: true, IsSealed: true } root && root.Name.EndsWith("Services", StringComparison.Ordinal);

    /// <returns>The full names of the offending types, sorted, each once.</returns>
    public static IReadOnlyList<string> Offenders(Assembly assembly, IReadOnlyList<string> forbidden, Func<Type, bool>? exempt = null,
        string? withinNamespace = null)
    {
        var types = Types.InAssembly(assembly);
        var rule = withinNamespace is null ? types.ShouldNot() : types.That().ResideInNamespace(withinNamespace).ShouldNot();
        var result = rule.HaveDependencyOnAny([.. forbidden]).GetResult();
        if (result.IsSuccessful) return [];
        return result.FailingTypes
            .Select(Outermost)
            .Where(t => exempt is null || !exempt(t))
            .Select(t => t.FullName ?? t.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }
}
