namespace Ndhm.HealthId.Login;

/// <summary>How long a patient's access token and refresh token are valid.</summary>
public sealed record PatientSessionLifetimes(TimeSpan Access, TimeSpan Refresh)
{
    public static readonly PatientSessionLifetimes Default = new(TimeSpan.FromMinutes(15), TimeSpan.FromHours(24));
}
