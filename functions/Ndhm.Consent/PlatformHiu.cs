namespace Ndhm.Consent;

/// <summary>
/// The platform itself as a HIU: the patient's health record (PHR) pulls the patient's own records from linked HIPs
/// under a self-requested consent (purpose PATRQT). It has no bridge: nothing is called back on it; the data reaches a
/// platform endpoint and the outcome reaches the patient.
/// </summary>
public static class PlatformHiu
{
    /// <summary>The "partner" id the platform's own consents and transactions carry (not a registered partner).</summary>
    public const string PartnerId = "ndhm-phr";

    /// <summary>The HIU facility id in the consent artefact's <c>hiu.id</c>.</summary>
    public const string FacilityId = "ndhm-phr";
}
