using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Resilience;
using Ndhm.Triggers.Hosting;

namespace Ndhm.Triggers.Http;

/// <summary>
/// What every HTTP function gets before and after its own code, in Azure (through a worker middleware) and in
/// the local host alike: a request id, the body size limit, the endpoint's access policy, structured logging,
/// and one mapping of failures to problem+json (ABDM's error shape on ABDM paths, <see cref="AbdmErrorResult"/>). Functions stay thin because of it.
/// </summary>
public sealed class HttpFunctionGate(
    IRequestAuthenticator authenticator,
    IOptions<HttpLimits> limits,
    RateLimitGate rateLimits,
    ILogger<HttpFunctionGate> logger)
{
    /// <returns>The result to write: the function's own, or a problem when the gate or the function failed.</returns>
    public async Task<object?> InvokeAsync(HttpContext http, FunctionDescriptor function, Func<Task<object?>> next)
    {
        var requestId = RequestIds.Ensure(http);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["RequestId"] = requestId,
            ["Function"] = function.Name,
        });
        try
        {
            await EnforceBodyLimitAsync(http, function);
            EnforceSingleDecodedPath(http);
            var policy = EndpointPolicy.For(function.Method);
            CallerIdentity? caller = null;
            if (!policy.IsPublic)
            {
                caller = await authenticator.AuthenticateAsync(http.Request, policy, http.RequestAborted);
                if (!policy.Roles.Any(caller.IsInRole))
                {
                    throw new DomainException(ErrorKind.Forbidden, ErrorCodes.Forbidden,
                        "The caller's role may not use this endpoint.",
                        $"Requires one of: {string.Join(", ", policy.Roles)}.");
                }

                Callers.Set(http, caller);
                Audit.HttpAuditActor.Enter(http);
            }

            await rateLimits.EnforceAsync(http, function, caller, http.RequestAborted); // before the function reads anything

            return await next();
        }
        catch (DomainException e)
        {
            Log(e);
            return AbdmErrorResult.For(http, e);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel refused the request while the function read it: a chunked body past the size limit, a
            // truncated body, a malformed chunk. The client's fault, and it must never look like a server failure.
            var refused = RequestBody.Refused(e, limits.Value.MaxRequestBodyBytes);
            Log(refused);
            return AbdmErrorResult.For(http, refused);
        }
        catch (Exception e) when (DependencyFailures.Classify(e) is { } unavailable)
        {
            logger.LogWarning(e, "Dependency unavailable: {Code}", unavailable.Code);
            return AbdmErrorResult.For(http, unavailable);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to read a response.
            return new StatusCodeResult(499);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled failure in {Function}", function.Name);
            return AbdmErrorResult.For(http, ProblemResult.Internal().Error);
        }
    }

    private async Task EnforceBodyLimitAsync(HttpContext http, FunctionDescriptor function)
    {
        // A function that streams its body under a limit of its own (file uploads) is left to it; the server's default cap stays.
        if (function.Method.IsDefined(typeof(StreamedRequestBodyAttribute), inherit: false)) return;
        var max = limits.Value.MaxRequestBodyBytes;
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } writable ? writable : null;
        if (http.Request.ContentLength is { } length && length > max)
        {
            if (length <= limits.Value.MaxDrainedBodyBytes && feature is not null)
            {
                feature.MaxRequestBodySize = length;
                await RequestBody.DiscardAsync(http.Request);
            }

            throw RequestBody.TooLarge(max);
        }

        if (feature is not null)
        {
            // Without a declared length the JSON reader enforces the limit itself and discards the rest up to the
            // drain cap, where the server stops reading; a declared length within the limit is the server's to hold to.
            feature.MaxRequestBodySize = http.Request.ContentLength is null ? limits.Value.MaxDrainedBodyBytes : max;
        }
    }

    /// <summary>
    /// The path is decoded once, by the server. A '%' left after that decoding is a second layer of encoding
    /// (<c>%2540</c>) that some code further on might decode again, and no id of the platform contains '%', a
    /// control or a bidi-control character: refused before any function sees it.
    /// </summary>
    private static void EnforceSingleDecodedPath(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        foreach (var c in path)
        {
            if (c == '%' || char.IsControl(c) || Ndhm.Core.Text.TextPolicy.IsBidiControl(c))
            {
                throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "The request path is not acceptable.",
                    "Percent-encode a path once; '%', control and bidi-control characters may not appear in it decoded.");
            }
        }
    }

    private void Log(DomainException e)
    {
        var level = ProblemResult.StatusFor(e.Kind) >= 500 ? LogLevel.Warning : LogLevel.Information;
        logger.Log(level, "Request refused: {Code} {Title}", e.Code, e.Title);
    }
}

/// <summary>Request limits from configuration (<c>Http__MaxRequestBodyBytes</c>).</summary>
public sealed class HttpLimits
{
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// A body declared longer than <see cref="MaxRequestBodyBytes"/> but at most this long is read and discarded
    /// before its 413, so the client reliably gets the problem; a longer one has its connection closed unread.
    /// </summary>
    public long MaxDrainedBodyBytes { get; set; } = 8 * 1024 * 1024;
}
