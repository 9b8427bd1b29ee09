using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Audit;
using Ndhm.Cli.Commands;
using Ndhm.Core.Json;
using Ndhm.Core.Security.Tokens;
using Ndhm.UnitTests.Security.Tokens;

namespace Ndhm.UnitTests.Audit;

/// <summary><c>ndhm audit verify</c> over export files.</summary>
public sealed class AuditCliTests : IDisposable
{
    private readonly AuditRig rig = new();
    private readonly string dir = Directory.CreateTempSubdirectory("ndhm-audit-cli").FullName;

    public void Dispose()
    {
        rig.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task GivenAnUntouchedExport_WhenVerified_ThenExit0AndTheReportSaysIntact()
    {
        var file = await ExportAsync();

        var (exit, output, _) = Run("verify", file);

        Assert.Equal(0, exit);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.True(report.GetProperty("intact").GetBoolean());
        Assert.Equal(4, report.GetProperty("signedSeq").GetInt64());
    }

    [Fact]
    public async Task GivenAnExportWithAnEditedEntry_WhenVerified_ThenExit1NamingThatEntry()
    {
        var file = await ExportAsync();
        var export = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        export["entries"]![2]!["entry"]!["consentId"] = "consent-forged";
        await File.WriteAllTextAsync(file, export.ToJsonString());

        var (exit, output, _) = Run("verify", file);

        Assert.Equal(1, exit);
        var problem = JsonDocument.Parse(output).RootElement.GetProperty("firstProblem");
        Assert.Equal((AuditProblems.EntryAltered, 3L), (problem.GetProperty("code").GetString(), problem.GetProperty("seq").GetInt64()));
        Assert.Equal(AuditEntryId.For(AuditRig.Chain, 3), problem.GetProperty("entryId").GetString());
    }

    [Fact]
    public async Task GivenAnExportWhoseKeysWereSwappedForTheForgersOwn_WhenVerifiedAgainstThePlatformsJwks_ThenTheHeadIsRejected()
    {
        // The forger rewrites the last entry, re-signs the head with their own key and puts that key in the export.
        var file = await ExportAsync();
        using var forger = new InMemorySigningKeys();
        var export = AuditExport.Parse(await File.ReadAllTextAsync(file));
        var entries = export.Entries.ToList();
        var last = JsonNode.Parse(entries[^1].Entry.GetRawText())!.AsObject();
        last["action"] = "record.read.forged";
        var rewritten = AuditRig.Sealed(last);
        entries[^1] = new AuditExportEntry(rewritten.Entry, rewritten.Hash);
        var head = await new AuditJws(forger).SignAsync(new AuditHeadClaim(AuditRig.Chain, 4, rewritten.Hash, "2026-12-03T10:00:00.000Z").ToJson(), default);
        var forged = export with { Entries = entries, SignedHead = head, Keys = await forger.GetPublicKeysAsync(false, default) };
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(forged, NdhmJson.Options));
        var jwks = Path.Combine(dir, "jwks.json");
        await File.WriteAllTextAsync(jwks, JsonWebKeySet.From(await rig.Keys.GetPublicKeysAsync(false, default)).ToJson());

        var trustingTheFile = Run("verify", file);
        var (exit, output, _) = Run("verify", file, "--jwks", jwks);

        Assert.Equal(0, trustingTheFile.Exit);
        Assert.Equal(1, exit);
        Assert.Equal(AuditProblems.HeadSignatureInvalid, JsonDocument.Parse(output).RootElement.GetProperty("firstProblem").GetProperty("code").GetString());
    }

    [Fact]
    public void GivenNoFile_WhenVerifying_ThenUsageError() => Assert.Equal(2, Run("verify").Exit);

    [Fact]
    public void GivenAFileThatIsNotAnExport_WhenVerifying_ThenExit2()
    {
        var file = Path.Combine(dir, "other.json");
        File.WriteAllText(file, "{\"format\":\"something-else\"}");

        Assert.Equal(2, Run("verify", file).Exit);
    }

    private async Task<string> ExportAsync()
    {
        await rig.AppendAsync(4);
        await rig.Signing.SignAsync(default);
        var export = await rig.Queries.ExportAsync(AuditRig.Chain, default);
        var file = Path.Combine(dir, "export.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(export, NdhmJson.Options));
        return file;
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = AuditCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
