using Ndhm.Fhir;
using Ndhm.Fhir.Validation;

namespace Ndhm.Cli.Commands;

/// <summary>
/// <c>ndhm fhir validate &lt;file.json&gt; [--outcome]</c>: validates an ABDM document bundle against the NRCeS
/// ABDM IG 2.0.1 and the project's document rules. Exit 0 valid (warnings printed), 1 invalid (errors listed),
/// 2 usage error or unreadable file.
/// </summary>
public static class FhirCommand
{
    private const string Usage = """
        ndhm fhir: validate ABDM FHIR document bundles (NRCeS ABDM IG 2.0.1, offline)

        usage: ndhm fhir validate <bundle.json> [--outcome]
               ndhm fhir definitions build <out-dir> <bundle.json>...

          validate   check a FHIR R4 JSON document bundle: the IG profiles (Firely validator, core
                     terminology offline) and ABDM document rules (Composition first and correctly
                     typed, a subject, every reference resolving inside the bundle)
          --outcome  print the findings as a FHIR OperationOutcome (JSON) instead of lines

          definitions build   (maintainers) regenerate the compact definitions the validator starts
                     from: the IG plus the core definitions the full specification resolves for the
                     given bundles, trimmed (functions/Ndhm.Fhir/Definitions/README.md)

        exit codes: 0 valid (warnings may be printed), 1 invalid (errors listed), 2 usage error
        The first validation in a process loads the compact definitions and compiles the profiles (about a second).
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.WriteLine(Usage);
            return 2;
        }

        if (args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        if (args[0] == "definitions")
        {
            return BuildDefinitions(args[1..], stdout, stderr);
        }

        if (args[0] != "validate")
        {
            stderr.WriteLine($"ndhm fhir: unknown subcommand '{args[0]}' (try ndhm fhir --help)");
            return 2;
        }

        var rest = args[1..];
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        var outcome = rest.Contains("--outcome");
        var files = rest.Where(a => a != "--outcome").ToArray();
        var unknown = files.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal));
        if (unknown is not null || files.Length != 1)
        {
            stderr.WriteLine(unknown is not null
                ? $"ndhm fhir validate: unknown option '{unknown}'"
                : "ndhm fhir validate: expected exactly one bundle file");
            stderr.WriteLine("usage: ndhm fhir validate <bundle.json> [--outcome]");
            return 2;
        }

        string json;
        try
        {
            json = File.ReadAllText(files[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"ndhm fhir validate: cannot read '{files[0]}': {e.Message}");
            return 2;
        }

        var result = AbdmFhirValidator.Shared.ValidateJsonAsync(json).GetAwaiter().GetResult();
        if (outcome)
        {
            stdout.WriteLine(FhirJson.Serialize(result.ToOperationOutcome(), pretty: true));
        }
        else
        {
            foreach (var issue in result.Issues.Where(i => i.Severity >= FhirIssueSeverity.Warning))
            {
                stdout.WriteLine(issue.ToString());
            }

            var errors = result.Errors.Count();
            var warnings = result.Warnings.Count();
            stdout.WriteLine(result.IsValid
                ? $"{files[0]}: valid ({warnings} warning{(warnings == 1 ? "" : "s")})"
                : $"{files[0]}: INVALID ({errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")})");
        }

        return result.IsValid ? 0 : 1;
    }

    private static int BuildDefinitions(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length < 3 || args[0] != "build")
        {
            stderr.WriteLine("usage: ndhm fhir definitions build <out-dir> <bundle.json>...");
            return 2;
        }

        List<Hl7.Fhir.Model.Bundle> corpus;
        try
        {
            corpus = args[2..].Select(f => FhirJson.ParseBundle(File.ReadAllText(f))).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Ndhm.Core.Errors.DomainException)
        {
            stderr.WriteLine($"ndhm fhir definitions build: cannot read the corpus: {e.Message}");
            return 2;
        }

        var result = Ndhm.Fhir.Definitions.CompactDefinitionsBuilder.Write(args[1], corpus);
        stdout.WriteLine($"{args[1]}: {result.IgResources} IG and {result.CoreResources} core definitions, " +
                         $"{result.ManifestEntries} core manifest entries, {result.Bytes / 1024} KiB");
        return 0;
    }
}
