using System.Net;
using System.Text;
using Azure.Core;

namespace Ndhm.UnitTests.Gateway;

/// <summary>A request as the adapter sent it: method, absolute URL, body text and Authorization header.</summary>
public sealed record SentRequest(string Method, string Url, string? Body, string? Authorization);

/// <summary>
/// An HTTP endpoint scripted by the test: every request is recorded, and answered by <paramref name="answer"/>
/// (Azure.Core's HttpClientTransport sits on top of it, so the adapter runs its real pipeline).
/// </summary>
public sealed class ScriptedHttp(Func<SentRequest, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<SentRequest> Requests { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status) { Content = new ByteArrayContent([]) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = new SentRequest(request.Method.Method, request.RequestUri!.AbsoluteUri,
            request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken), request.Headers.Authorization?.ToString());
        Requests.Add(sent);
        return answer(sent);
    }
}

/// <summary>A credential that hands out one fixed token, so the bearer policy runs without Entra ID.</summary>
public sealed class FixedTokenCredential : TokenCredential
{
    public const string Token = "unit-test-token";

    public List<string[]> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.Add(requestContext.Scopes);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
