using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Ndhm.Phr;

namespace Ndhm.Triggers.Phr;

/// <summary>
/// Streams a record's file to the client as a download: the sniffed media type, <c>Content-Disposition: attachment</c>,
/// <c>X-Content-Type-Options: nosniff</c> (a browser must not reinterpret it), no caching, and a sandboxing CSP in case
/// it is opened inline anyway.
/// </summary>
public sealed class HealthRecordAttachmentResult(HealthRecordAttachment attachment) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = attachment.ContentType;
        if (attachment.Length is { } length) response.ContentLength = length;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = attachment.FileName }.ToString();
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        await attachment.WriteToAsync(response.Body, context.HttpContext.RequestAborted);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{attachment.ContentType} {attachment.FileName}");
}
