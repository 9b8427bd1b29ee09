using Microsoft.AspNetCore.Http;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;

namespace Ndhm.Triggers.Http;

/// <summary>The authenticated caller of the current request, as the gate proved it.</summary>
public static class Callers
{
    private const string ItemKey = "ndhm.caller";

    public static void Set(HttpContext http, CallerIdentity caller) => http.Items[ItemKey] = caller;

    /// <summary>The caller of a role-restricted endpoint. Public endpoints have none.</summary>
    public static CallerIdentity Caller(this HttpRequest request) =>
        request.HttpContext.Items.TryGetValue(ItemKey, out var value) && value is CallerIdentity caller
            ? caller
            : throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.Unauthenticated, "Authentication is required.");
}
