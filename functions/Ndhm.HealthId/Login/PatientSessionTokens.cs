namespace Ndhm.HealthId.Login;

/// <summary>A patient's access token for our API and the refresh token that renews it.</summary>
public sealed record PatientSessionTokens(string AccessToken, TimeSpan AccessLifetime, string RefreshToken, TimeSpan RefreshLifetime);
