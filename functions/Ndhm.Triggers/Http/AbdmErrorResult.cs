using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Core.Abdm;
using Ndhm.Gateway.Abdm;

namespace Ndhm.Triggers.Http;

/// <summary>
/// An error on an ABDM path, in ABDM's shape: <c>{"error":{"code":"ABDM-1030","message":"...","ndhmCode":"INVALID_REQUEST_ID"}}</c>
/// (<c>ndhmCode</c> is the platform's stable code, added beside ABDM's). Status codes and headers (Retry-After,
/// WWW-Authenticate) are those of <see cref="ProblemResult"/>, so only the body differs.
/// </summary>
public sealed class AbdmErrorResult(DomainException error) : IActionResult
{
    public DomainException Error { get; } = error;

    public int StatusCode => ProblemResult.StatusFor(Error.Kind);

    /// <summary>The paths ABDM's partners call: <c>/api/v0.5/...</c> and <c>/api/v3/token/...</c>.</summary>
    public static bool IsAbdmPath(PathString path) =>
        path.StartsWithSegments("/api/v0.5", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v3/token", StringComparison.OrdinalIgnoreCase);

    /// <summary>The failure result for a request: ABDM's shape on ABDM paths, problem+json elsewhere.</summary>
    public static IActionResult For(HttpContext http, DomainException error) =>
        IsAbdmPath(http.Request.Path) ? new AbdmErrorResult(error) : new ProblemResult(error);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        ProblemResult.WriteStatusAndHeaders(http.Response, Error);
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, new AbdmErrorResponse(AbdmErrors.ToAbdmError(Error)), NdhmJson.Options,
            http.RequestAborted);
    }
}
