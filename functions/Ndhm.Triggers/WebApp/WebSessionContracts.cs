using System.Text.Json.Serialization;
using Ndhm.HealthId.Accounts;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// A started web session: who signed in and the CSRF token to send back (also in the <c>ndhm_csrf</c> cookie); the
/// patient's tokens stay in HttpOnly cookies and never appear here.
/// </summary>
public sealed record WebSessionResponse(
    string Message, [property: JsonPropertyName("ABHAProfile")] AbhaProfile? AbhaProfile, string CsrfToken, int ExpiresIn, bool? IsNew);

/// <summary>The end of a web session.</summary>
public sealed record WebSessionEnded(string Message);
