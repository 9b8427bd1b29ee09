namespace Ndhm.Core.Security;

/// <summary>Roles carried as claims in platform-issued tokens.</summary>
public static class Roles
{
    public const string PlatformAdmin = "PLATFORM_ADMIN";
    public const string Patient = "PATIENT";
    public const string Hip = "HIP";
    public const string Hiu = "HIU";
    public const string PhrApp = "PHR_APP";
    public const string Pharmacy = "PHARMACY";
    public const string Teleconsult = "TELECONSULT";
    public const string HealthWorker = "HEALTH_WORKER";
    public const string Analytics = "ANALYTICS";

    public static IReadOnlyList<string> All { get; } =
        [PlatformAdmin, Patient, Hip, Hiu, PhrApp, Pharmacy, Teleconsult, HealthWorker, Analytics];
}
