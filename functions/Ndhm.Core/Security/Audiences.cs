namespace Ndhm.Core.Security;

/// <summary>Token audiences: who a platform-issued token is meant for.</summary>
public static class Audiences
{
    /// <summary>The platform's own HTTP API (partner sessions, patient logins, admin and sandbox tokens).</summary>
    public const string PlatformApi = "ndhm-api";
}
