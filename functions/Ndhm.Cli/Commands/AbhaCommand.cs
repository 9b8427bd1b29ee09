using Ndhm.HealthId.Numbers;

namespace Ndhm.Cli.Commands;

/// <summary>
/// <c>ndhm abha check &lt;number&gt;</c> and <c>ndhm abha generate</c>. Exit codes: 0 valid (or generated),
/// 1 the number is invalid (the reason is printed), 2 usage error.
/// </summary>
public static class AbhaCommand
{
    private const string Usage = """
        ndhm abha: check and generate ABHA numbers

        usage:
          ndhm abha check <number>      is <number> a well-formed ABHA number with the right check digit?
                                        accepts 91-6285-4575-5116 or 91628545755116
                                        exit 0 valid, 1 invalid (reason printed), 2 usage error
          ndhm abha generate [--plain]  print one random valid ABHA number (for integrators' tests;
                                        not an issued number); --plain prints the 14 digits only

        rules: 14 digits, starting 91, the last a Luhn check digit over the first 13, shown XX-XXXX-XXXX-XXXX
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.WriteLine(Usage);
            return 2;
        }
        if (IsHelp(args[0]))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        return args[0] switch
        {
            "check" => Check(args[1..], stdout, stderr),
            "generate" => Generate(args[1..], stdout, stderr),
            _ => UsageError(stderr, $"unknown subcommand '{args[0]}'"),
        };
    }

    private static int Check(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 1 && IsHelp(args[0]))
        {
            stdout.WriteLine(Usage);
            return 0;
        }
        if (args.Length != 1)
            return UsageError(stderr, args.Length == 0 ? "check needs an ABHA number" : "check takes exactly one ABHA number");
        if (args[0].StartsWith("--", StringComparison.Ordinal))
            return UsageError(stderr, $"unknown option '{args[0]}'");

        if (AbhaNumber.TryParse(args[0], out var number, out var error))
        {
            stdout.WriteLine($"{number.Formatted}: valid ABHA number (check digit {number.Digits[^1]} is right)");
            return 0;
        }
        stdout.WriteLine($"invalid: {error.Code}: {error.Detail}");
        return 1;
    }

    private static int Generate(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 1 && IsHelp(args[0]))
        {
            stdout.WriteLine(Usage);
            return 0;
        }
        var plain = false;
        foreach (var arg in args)
        {
            if (arg == "--plain") plain = true;
            else return UsageError(stderr, $"unknown argument '{arg}'");
        }
        var number = new AbhaNumberGenerator().Next();
        stdout.WriteLine(plain ? number.Digits : number.Formatted);
        return 0;
    }

    private static bool IsHelp(string arg) => arg is "--help" or "-h" or "help";

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"ndhm abha: {message} (try ndhm abha --help)");
        return 2;
    }
}
