namespace Ndhm.Privacy;

/// <summary>
/// A capability's migration of personal fields an earlier version stored in plaintext: idempotent and resumable, so
/// the <c>EncryptPlaintextFields</c> timer simply runs every registered one until each reports completed.
/// </summary>
public interface IPlaintextFieldMigration
{
    Task<IReadOnlyList<RunReport>> RunAsync(CancellationToken ct);
}
