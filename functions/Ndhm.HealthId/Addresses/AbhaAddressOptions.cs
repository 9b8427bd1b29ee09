namespace Ndhm.HealthId.Addresses;

/// <summary>
/// How ABHA addresses look in this deployment. <see cref="Suffix"/> comes from the setting
/// <c>HealthId__AddressSuffix</c> (<see cref="Ndhm.Core.Configuration.SettingNames.AbhaAddressSuffix"/>).
/// </summary>
public sealed record AbhaAddressOptions
{
    public const string SandboxSuffix = "sbx";
    public const string ProductionSuffix = "abdm";

    public string Suffix { get; init; } = SandboxSuffix;
}
