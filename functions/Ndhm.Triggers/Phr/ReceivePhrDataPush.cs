using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Core.Errors;
using Ndhm.Core.Text;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>
/// The platform HIU's <c>dataPushUrl</c> for the patient's own pulls: a HIP pushes each page (ABDM
/// <c>DataNotification</c>) with the hip/request's push token as <c>Authorization: Bearer</c>. The HIU-side receiver
/// authenticates it (401/403), takes each page once, checks, decrypts and validates each entry and stores it in the
/// patient's health record (idempotent, encrypted, audited). 202 with each entry's fate.
/// </summary>
public sealed class ReceivePhrDataPush(HiuDataReceiver receiver)
{
    [Function(nameof(ReceivePhrDataPush))]
    [PublicEndpoint("Pushed by HIPs, not platform users: each page is authenticated by the transaction's signed push token, checked by the receiver.")]
    [OpenApiOperation("The platform HIU's data push endpoint (ABDM DataNotification) for the patient's own pulls: Authorization: Bearer <pushToken>; " +
        "pages are accepted once each (a repeat is 202 with repeat=true), entries decrypted, validated and stored in the patient's health record.",
        Request = typeof(DataPushPage), Response = typeof(ReceivedPage), SuccessStatus = 202, Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/phr/data-push")] HttpRequest req,
        CancellationToken ct)
    {
        var page = await ReadPageAsync(req, ct);
        var header = req.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var received = await receiver.ReceiveAsync(page, bearer, ct);
        return new ObjectResult(received) { StatusCode = StatusCodes.Status202Accepted };
    }

    /// <summary>
    /// The page with each entry's <c>content</c> kept as the body's base64 UTF-8 (a megabyte bundle is 1.4 MB of it; as
    /// a string, 2.8 MB on the large-object heap), under the same checks <see cref="RequestBody.ReadJsonAsync{T}"/>
    /// makes: the text policy on every other member, and on <c>content</c> whenever it holds anything but printable
    /// ASCII (base64 is printable ASCII, so a real content is only scanned).
    /// </summary>
    private static async Task<Utf8DataPushPage> ReadPageAsync(HttpRequest req, CancellationToken ct)
    {
        var json = await req.ReadJsonUtf8Async(ct);
        Utf8DataPushPage page;
        try
        {
            page = DataPushBody.Parse(json)
                ?? throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "A request body is required.");
        }
        catch (JsonException e)
        {
            throw RequestBody.Malformed(e);
        }

        var texts = page.WithoutContent();
        InputPolicy.Apply(texts);
        for (var i = 0; i < (page.Entries?.Count ?? 0); i++)
        {
            if (page.Entries![i].Content is { } content && content.Span.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0)
            {
                TextPolicy.Normalize(Encoding.UTF8.GetString(content.Span), $"entries[{i}].content", int.MaxValue);
            }
        }

        return page.WithTextsOf(texts);
    }
}
