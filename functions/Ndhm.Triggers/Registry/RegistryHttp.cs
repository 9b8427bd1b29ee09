using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Registry;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Shared HTTP plumbing of the registry functions: callers, query strings, ETag headers, results.</summary>
internal static class RegistryHttp
{
    public const string Tag = "Registry";

    public static Registrant Registrant(HttpRequest req)
    {
        var caller = req.Caller();
        return new Registrant(caller.Subject, caller.IsInRole(Roles.PlatformAdmin));
    }

    public static string? Query(HttpRequest req, string name) =>
        req.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public static double? Double(HttpRequest req, string name) =>
        Query(req, name) is not { } text
            ? null
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw Invalid($"{name} must be a number.");

    public static int? Int(HttpRequest req, string name) =>
        Query(req, name) is not { } text
            ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid($"{name} must be an integer.");

    public static bool? Bool(HttpRequest req, string name) =>
        Query(req, name) is not { } text ? null : bool.TryParse(text, out var value) ? value : throw Invalid($"{name} must be true or false.");

    public static string? IfMatch(HttpRequest req) => EntityTags.IfMatch(req);

    public static string RequireIfMatch(HttpRequest req) =>
        IfMatch(req) ?? throw new DomainException(ErrorKind.Validation, RegistryErrors.IfMatchRequired, "If-Match is required.",
            "Send the ETag of the entry you read in If-Match, so a concurrent change is not overwritten.");

    /// <summary>200 with the entry as <paramref name="toResponse"/> shows it, and its ETag (what the next change sends in If-Match).</summary>
    public static IActionResult Ok<T, TResponse>(HttpRequest req, Versioned<T> entry, Func<T, TResponse> toResponse)
    {
        SetETag(req, entry.ETag);
        return new OkObjectResult(toResponse(entry.Value));
    }

    /// <summary>201 with the new entry, its ETag, and its URL (the collection's URL + <paramref name="id"/>) in Location.</summary>
    public static IActionResult Created<T, TResponse>(HttpRequest req, string id, Versioned<T> entry, Func<T, TResponse> toResponse)
    {
        SetETag(req, entry.ETag);
        return new CreatedResult($"{req.PathBase}{req.Path.Value?.TrimEnd('/')}/{id}", toResponse(entry.Value));
    }

    private static void SetETag(HttpRequest req, string etag) => req.HttpContext.Response.Headers.ETag = ETags.Quoted(etag);

    private static DomainException Invalid(string detail) =>
        new(ErrorKind.Validation, RegistryErrors.InvalidSearch, "The search is not valid.", detail);
}
