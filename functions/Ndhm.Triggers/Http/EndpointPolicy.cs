using System.Collections.Concurrent;
using System.Reflection;

namespace Ndhm.Triggers.Http;

/// <summary>Who may call an HTTP function, read once from its attributes.</summary>
/// <param name="AcceptsAnalyticsSession">The analytics dashboard's session cookie may stand in for the bearer token
/// (<see cref="AnalyticsWebSessionAttribute"/>).</param>
public sealed record EndpointPolicy(bool IsPublic, IReadOnlyList<string> Roles, bool AcceptsAnalyticsSession = false)
{
    private static readonly ConcurrentDictionary<MethodInfo, EndpointPolicy> Cache = new();

    public static EndpointPolicy For(MethodInfo method) => Cache.GetOrAdd(method, Read);

    private static EndpointPolicy Read(MethodInfo method)
    {
        var roles = method.GetCustomAttribute<RequireRolesAttribute>();
        var isPublic = method.GetCustomAttribute<PublicEndpointAttribute>() is not null;
        return (roles, isPublic) switch
        {
            (not null, true) => throw new InvalidOperationException(
                $"{method.DeclaringType?.Name}.{method.Name} is both public and role-restricted."),
            (null, false) => throw new InvalidOperationException(
                $"{method.DeclaringType?.Name}.{method.Name} declares no access policy: add [RequireRoles] or [PublicEndpoint]."),
            (null, true) => new EndpointPolicy(true, []),
            ({ Roles.Count: 0 }, _) => throw new InvalidOperationException(
                $"{method.DeclaringType?.Name}.{method.Name} has [RequireRoles] without roles."),
            _ => new EndpointPolicy(false, roles!.Roles, method.GetCustomAttribute<AnalyticsWebSessionAttribute>() is not null),
        };
    }
}
