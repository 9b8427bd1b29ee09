using Microsoft.AspNetCore.Http;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Audit;

/// <summary>The audit actor of an HTTP request: the caller the gate proved, the facility it acts as, the request id.</summary>
internal static class AuditHttp
{
    public const string Tag = "Audit";

    public static AuditActor Actor(HttpContext http)
    {
        var caller = http.Request.Caller();
        var facility = http.Request.Headers.TryGetValue(HipFacilities.Header, out var hip) && hip.Count > 0 ? hip[0] : null;
        return new AuditActor(caller.Subject, caller.Roles.Order(StringComparer.Ordinal).ToList(), caller.ClientId, facility,
            RequestIds.Get(http));
    }

    public static string? Query(HttpRequest req, string name) =>
        req.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
