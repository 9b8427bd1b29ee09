using System.Security.Cryptography;
using Ndhm.HealthId.Encryption;
using Ndhm.HealthId.Numbers;

namespace Ndhm.Cli.Commands;

/// <summary>
/// <c>ndhm abha check &lt;number&gt;</c>, <c>ndhm abha generate</c> and <c>ndhm abha encrypt</c>. Exit codes: 0 valid
/// (or generated, encrypted), 1 the number is invalid (the reason is printed), 2 usage error (or an unusable key).
/// </summary>
public static class AbhaCommand
{
    private const string Usage = """
        ndhm abha: check and generate ABHA numbers, encrypt fields as ABDM clients do

        usage:
          ndhm abha check <number>      is <number> a well-formed ABHA number with the right check digit?
                                        accepts 91-6285-4575-5116 or 91628545755116
                                        exit 0 valid, 1 invalid (reason printed), 2 usage error
          ndhm abha generate [--plain]  print one random valid ABHA number (for integrators' tests;
                                        not an issued number); --plain prints the 14 digits only
          ndhm abha encrypt --public-key <base64> <value>
                                        print <value> RSA-encrypted for loginId or otpValue, as ABDM v3 clients
                                        send it (RSA/ECB/OAEPWithSHA-1AndMGF1Padding, base64); <base64> is the
                                        publicKey of GET v3/profile/public/certificate (a PEM file's text works too)

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
            "encrypt" => Encrypt(args[1..], stdout, stderr),
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

    private static int Encrypt(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 1 && IsHelp(args[0]))
        {
            stdout.WriteLine(Usage);
            return 0;
        }
        string? publicKey = null, value = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--public-key")
            {
                if (i + 1 >= args.Length) return UsageError(stderr, "--public-key needs a value");
                publicKey = args[++i];
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) return UsageError(stderr, $"unknown option '{args[i]}'");
            else if (value is null) value = args[i];
            else return UsageError(stderr, "encrypt takes exactly one value");
        }
        if (publicKey is null) return UsageError(stderr, "encrypt needs --public-key <base64>");
        if (string.IsNullOrEmpty(value)) return UsageError(stderr, "encrypt needs the value to encrypt");
        try
        {
            stdout.WriteLine(AbhaFieldEncryption.Encrypt(publicKey, value));
            return 0;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return UsageError(stderr, "--public-key is not a base64 RSA public key (SubjectPublicKeyInfo) or PEM");
        }
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
