using Microsoft.AspNetCore.Http;
using Ndhm.Audit;

namespace Ndhm.Triggers.Audit;

/// <summary>
/// <see cref="ICurrentAuditActor"/> for services that audit below the function (the registry's admin changes): the
/// gate enters each authenticated request, and the value flows with the request's async calls.
/// </summary>
public sealed class HttpAuditActor : ICurrentAuditActor
{
    private static readonly AsyncLocal<HttpContext?> Request = new();

    public AuditActor? Current => Request.Value is { } http ? AuditHttp.Actor(http) : null;

    /// <summary>Called by the gate once the caller is proven.</summary>
    public static void Enter(HttpContext http) => Request.Value = http;
}
