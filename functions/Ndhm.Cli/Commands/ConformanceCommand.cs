using System.Globalization;
using Ndhm.Cli.Conformance;
using Ndhm.Cli.Story;
using Spectre.Console;

namespace Ndhm.Cli.Commands;

/// <summary>
/// <c>ndhm conformance</c>: a partner's self-test against the sandbox with ABDM's functional test cases (M2 for a HIP, M3 for a HIU):
/// each case by its ABDM id with pass or fail and the reason. Exit 0 all passed, 1 a case failed, 2 usage error.
/// </summary>
public static class ConformanceCommand
{
    private const string Usage = """
        ndhm conformance: ABDM's functional test cases against your bridge, on the sandbox

        usage: ndhm conformance --role hip --client-id <id> --client-secret <secret> [--base-url http://localhost:7071]
                                [--patient-aadhaar 999900000016 --patient-mobile 9000000001] [--otp-url <url>] [--desk-url <url>]
                                [--wait-seconds 30]
               ndhm conformance --role hiu --client-id <id> --client-secret <secret> [--base-url http://localhost:7071]
                                [--patient-aadhaar 999900000016 --patient-mobile 9000000001] [--desk-url <url>] [--wait-seconds 30]

          --role            hip (the M2 cases) or hiu (the M3 cases)
          --client-id, --client-secret   the partner's own credentials (its bridge is the one under test)
          --patient-*       a sandbox KYC identity (hip: one your HIP holds records of, matched by mobile, gender, year of birth)
          --otp-url         hip: where the kit reads your HIP's linking OTP (GET <url>?mobile=..., {"messages":[{linkRefNumber,otp}]});
                            without it the kit asks for the OTP on the console
          --desk-url        hip: your HIP's desk, which the kit asks to link a new visit of the patient (POST
                            <url>/care-context-links {patient, authMode: DIRECT | MOBILE_OTP | DEMOGRAPHICS,
                            demographic: {name, gender, dateOfBirth}} -> {id}: users/auth/init for LINK, for MOBILE_OTP
                            then POST <url>/care-context-links/{id}/otp {otp} with the OTP the patient received, for
                            DEMOGRAPHICS users/auth/confirm with the demographic once on-init came, then add-contexts
                            with the access token; GET <url>/care-context-links/{id} -> {status: ... LINKED | FAILED,
                            careContext}) and reads your bridge's ABDM messages from (GET
                            <url>/messages?path=<path>&direction=sent|received, {"entries":[{path, body, status}]}), each
                            checked against ABDM's schema; without it the kit asks you on the console to start the
                            linking and checks what the platform shows only
                            hiu: your HIU's desk, which the kit asks to request consent (POST <url>/consent-requests
                            {patient, hip}) and data (POST <url>/health-information-requests {consentId}); without it the
                            kit asks you on the console to do each in your HIU and press Enter
          --wait-seconds    how long the kit waits for each callback (default 30)

        prints each case (hip: USER_INIT_LINK_604, USER_INIT_LINK_605, HIP_INIT_GRANT_CONSENT, HIP_INIT_SHARE_CARECONTEXT,
        HIP_INIT_REVOKE_CONSENT, HIP_INIT_EXPIRE_CONSENT, HIP_INTI_LINK_201, HIP_INTI_LINK_401, HIP_INTI_LINK_404, KIT_DIRECT_AUTH_DENIED,
        HIP_INTI_LINK_501, KIT_DEMOGRAPHICS_MISMATCH; hiu: HIU_FLOW_102, KIT_GRANT, HIU_FLOW_104, HIU_FLOW_106, HIU_FLOW_202) with PASS, FAIL and the reason,
        or SKIP when a case it needs failed.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        Dictionary<string, string> options;
        try
        {
            options = CliOptions.Parse(args,
                ["--role", "--client-id", "--client-secret", "--base-url", "--patient-aadhaar", "--patient-mobile", "--otp-url", "--desk-url", "--wait-seconds"]);
            if (options.GetValueOrDefault("--role") is not ("hip" or "hiu")) throw new FormatException("--role hip or --role hiu is required");
            if (!options.ContainsKey("--client-id") || !options.ContainsKey("--client-secret")) throw new FormatException("--client-id and --client-secret are required");
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"ndhm conformance: {e.Message}");
            stderr.WriteLine(Usage);
            return 2;
        }

        var baseUrl = new Uri(options.GetValueOrDefault("--base-url") ?? "http://localhost:7071");
        var hiu = options["--role"] == "hiu";
        var patient = new StoryPatient(options.GetValueOrDefault("--patient-aadhaar") ?? "999900000016", options.GetValueOrDefault("--patient-mobile") ?? "9000000001");
        var wait = TimeSpan.FromSeconds(int.Parse(options.GetValueOrDefault("--wait-seconds") ?? "30", CultureInfo.InvariantCulture));
        var desk = options.GetValueOrDefault("--desk-url") is { } url ? new Uri(url) : null;
        using var http = StoryClient.Create(baseUrl, desk);
        Func<string, string?> ask = prompt =>
        {
            stdout.Write(prompt);
            return Console.In.ReadLine()?.Trim();
        };
        var steps = hiu
            ? new HiuConformance(http, new HiuConformanceTarget(options["--client-id"], options["--client-secret"], patient, desk, wait), ask).Steps
            : new HipConformance(http, new ConformanceTarget(options["--client-id"], options["--client-secret"], patient, options.GetValueOrDefault("--otp-url"), wait, desk), ask).Steps;
        var console = DemoCommand.Console(stdout);
        console.Write(new Rule($"[bold]ABDM conformance: {(hiu ? "HIU" : "HIP")} {Markup.Escape(options["--client-id"])}[/]").LeftJustified());
        var prompts = desk is null || (!hiu && !options.ContainsKey("--otp-url"));
        var results = DemoCommand.RunWithProgress(console, steps, stopAtFirstFailure: false, live: !prompts);
        return DemoCommand.Summarise(console, results, firstColumn: "case");
    }
}
