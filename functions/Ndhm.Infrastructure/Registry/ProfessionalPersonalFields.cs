using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;
using Ndhm.Registry.Professionals;

namespace Ndhm.Infrastructure.Registry;

/// <summary>
/// The professional's encrypted fields: each under the professional's own data key (<c>professional:&lt;hprId&gt;</c>),
/// named by its path in the stored document, which is also the field name bound into its ciphertext.
/// </summary>
public static class ProfessionalPersonalFields
{
    public const string Mobile = "personal.mobile";
    public const string Email = "personal.email";
    public const string DateOfBirth = "personal.dateOfBirth";

    public static DataKeyScope ScopeOf(HprId id) => DataKeyScope.Professional(id.Value);

    /// <summary>Encrypts any of these still stored in plaintext (run by <c>CosmosFieldEncryptionMigration</c>).</summary>
    public static FieldEncryptionPlan Plan { get; } = new(
        "professional-personal-v1",
        CosmosContainers.Registry.Name,
        "docType",
        RegistryDocTypes.Professional,
        [Mobile, Email, DateOfBirth],
        document => DataKeyScope.Professional(document["id"]!.GetValue<string>()));
}
