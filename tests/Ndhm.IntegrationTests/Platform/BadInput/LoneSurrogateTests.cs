using System.Net;
using System.Text;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform.BadInput;

/// <summary>
/// Regression test for a finding of the full generated bad-input run: an escaped lone surrogate in a field the abuse
/// limits key on (a session's <c>clientId</c>) made the limit gate's body sniffing throw, and the answer was 500. Now the
/// gate leaves it to the body reader, and the serializer refuses the lone surrogate as malformed JSON text.
/// </summary>
[Collection(SharedSandboxHost.Name)]
public sealed class LoneSurrogateTests(SandboxHostFixture sandbox)
{
    [Fact]
    public async Task GivenALoneSurrogateInTheClientId_WhenASessionIsRequested_ThenItIsRefusedWith400MalformedJson()
    {
        const string body = "{\"clientId\":\"a\\uD800b\",\"clientSecret\":\"x\",\"grantType\":\"client_credentials\"}";

        using var response = await sandbox.Client.PostAsync("api/v1/sessions", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "MALFORMED_JSON");
    }
}
