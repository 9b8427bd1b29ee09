using Ndhm.Cli.Commands;

// Each capability owns its command group; a group gets the arguments after its name and the two writers,
// and returns the process exit code (0 ok, 1 the input is invalid, 2 usage error).
var groups = new Dictionary<string, Func<string[], TextWriter, TextWriter, int>>(StringComparer.Ordinal)
{
    ["fidelius"] = FideliusCommand.Run,
    ["fhir"] = FhirCommand.Run,
    ["abha"] = AbhaCommand.Run,
    ["audit"] = AuditCommand.Run,
    ["demo"] = DemoCommand.Run,
    ["conformance"] = ConformanceCommand.Run,
};

if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.Out.WriteLine("""
        ndhm: tools for integrators of the NdhmFunctions health stack

        usage: ndhm <command> [arguments]   (ndhm <command> --help for details)

          fidelius   ABDM Fidelius key material, encryption and decryption (drop-in for fidelius-cli)
          fhir       validate ABDM FHIR document bundles
          abha       check ABHA numbers
          audit      verify the hash-chained audit trail (an export file, or a running host)
          demo       run the end-to-end story against a running sandbox with the sample partners
          conformance  ABDM's functional test cases (M2, HIP) against a partner's bridge on the sandbox
        """);
    return args.Length == 0 ? 2 : 0;
}

if (!groups.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"ndhm: unknown command '{args[0]}' (try ndhm --help)");
    return 2;
}

return run(args[1..], Console.Out, Console.Error);
