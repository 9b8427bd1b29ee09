using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Ndhm.Infrastructure.Rest;

/// <summary>
/// The one way adapters call an Azure REST API (Key Vault, Resource Manager) through an Azure SDK pipeline, which
/// brings the SDK's authentication, retries and diagnostics: a JSON request out, the response or a
/// <see cref="RequestFailedException"/> back.
/// </summary>
internal static class JsonRestRequests
{
    /// <summary>
    /// Sends the request; the caller disposes the returned message. A response for which <paramref name="isFailure"/>
    /// holds (default: any error status) throws instead.
    /// </summary>
    public static async Task<HttpMessage> SendAsync(HttpPipeline pipeline, RequestMethod method, Uri uri, JsonObject? body, CancellationToken ct,
        Func<Response, bool>? isFailure = null)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.SetValue("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }

        await pipeline.SendAsync(message, ct).ConfigureAwait(false);
        if (isFailure?.Invoke(message.Response) ?? message.Response.IsError)
        {
            var error = new RequestFailedException(message.Response);
            message.Dispose();
            throw error;
        }

        return message;
    }
}
