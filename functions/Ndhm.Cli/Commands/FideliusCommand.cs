using System.Text;
using Ndhm.Core.Errors;
using Ndhm.Fidelius;

namespace Ndhm.Cli.Commands;

/// <summary>
/// <c>ndhm fidelius</c>: a drop-in for the ABDM Java tool (fidelius-cli). Same commands, same positional arguments,
/// same pretty-printed JSON on stdout (keys in the same order). Unlike the Java tool, failures go to stderr with a
/// non-zero exit code instead of a stack trace and an empty result.
/// </summary>
public static class FideliusCommand
{
    private const int Ok = 0;
    private const int InvalidInput = 1;
    private const int Usage = 2;

    private const string Overview = """
        ndhm fidelius: ABDM Fidelius key material, encryption and decryption (drop-in for fidelius-cli)

        usage: ndhm fidelius <command> [arguments]
               ndhm fidelius -f <file>      (the command and its arguments, one per line)

          generate-key-material, gkm    a fresh key pair and nonce
          encrypt, e                    encrypt text for a requester
          sane-encrypt, se              encrypt base64-encoded text (no shell escaping needed)
          decrypt, d                    decrypt data from a sender

        ndhm fidelius <command> --help shows a command's arguments.
        """;

    private const string GkmHelp = """
        usage: ndhm fidelius gkm

        Prints a fresh key pair and a 32-byte nonce:
          {"privateKey", "publicKey" (65-byte point, base64), "x509PublicKey", "nonce"}
        Use new key material for every transfer.
        """;

    private const string EncryptHelp = """
        usage: ndhm fidelius e <text> <sender-nonce> <requester-nonce> <sender-private-key> <requester-public-key>

        Encrypts the UTF-8 bytes of <text> and prints {"encryptedData"}. The requester's public key may be the
        65-byte point or the X.509 form. Quote <text> so the shell passes it as one argument.
        """;

    private const string SaneEncryptHelp = """
        usage: ndhm fidelius se <base64-text> <sender-nonce> <requester-nonce> <sender-private-key> <requester-public-key>

        Like e, but <base64-text> is base64: its decoded bytes are encrypted as they are.
        """;

    private const string DecryptHelp = """
        usage: ndhm fidelius d <encrypted-data> <requester-nonce> <sender-nonce> <requester-private-key> <sender-public-key>

        Decrypts and prints {"decryptedData"} (the plaintext read as UTF-8). The sender's public key may be the
        65-byte point or the X.509 form.
        """;

    private const string FileHelp = """
        usage: ndhm fidelius -f <file>

        Reads the command and its arguments from <file>, one per line (for inputs longer than a command line allows).
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        if (args.Length == 0)
        {
            stderr.WriteLine(Overview);
            return Usage;
        }

        if (args[0] is "--help" or "-h" or "help" or "h")
        {
            stdout.WriteLine(Overview);
            return Ok;
        }

        if (args[0] is "-f" or "--filepath")
        {
            if (args.Length == 2 && args[1] is "--help" or "-h")
            {
                stdout.WriteLine(FileHelp);
                return Ok;
            }

            if (args.Length != 2)
            {
                stderr.WriteLine(FileHelp);
                return Usage;
            }

            string[] lines;
            try
            {
                lines = File.ReadAllLines(args[1]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException
                                          or NotSupportedException)
            {
                stderr.WriteLine($"ndhm fidelius: cannot read '{args[1]}': {e.Message}");
                return InvalidInput;
            }

            if (lines.Length > 0 && lines[0] is "-f" or "--filepath")
            {
                stderr.WriteLine("ndhm fidelius: a parameter file cannot point to another parameter file.");
                return Usage;
            }

            return lines.Length == 0 ? Run([], stdout, stderr) : Run(lines, stdout, stderr);
        }

        var command = args[0];
        var rest = args[1..];
        var (help, arity) = command switch
        {
            "gkm" or "generate-key-material" => (GkmHelp, 0),
            "e" or "encrypt" => (EncryptHelp, 5),
            "se" or "sane-encrypt" => (SaneEncryptHelp, 5),
            "d" or "decrypt" => (DecryptHelp, 5),
            _ => ((string?)null, -1),
        };

        if (help is null)
        {
            stderr.WriteLine($"ndhm fidelius: unknown command '{command}'.");
            stderr.WriteLine(Overview);
            return Usage;
        }

        if (rest.Length == 1 && rest[0] is "--help" or "-h")
        {
            stdout.WriteLine(help);
            return Ok;
        }

        // The Java tool ignores extra arguments; refusing them catches unquoted text that the shell split into words
        // (the Java tool would silently encrypt only the first word). Trailing empty lines of a -f file are fine.
        var count = rest.Length;
        while (count > arity && rest[count - 1].Length == 0)
        {
            count--;
        }

        if (count != arity)
        {
            stderr.WriteLine($"ndhm fidelius: '{command}' takes {arity} argument(s), {count} given.");
            stderr.WriteLine(help);
            return Usage;
        }

        try
        {
            var json = command switch
            {
                "gkm" or "generate-key-material" => GenerateKeyMaterial(),
                "e" or "encrypt" => Encrypt(Encoding.UTF8.GetBytes(rest[0]), rest),
                "se" or "sane-encrypt" => Encrypt(DecodeText(rest[0]), rest),
                _ => Decrypt(rest),
            };
            stdout.WriteLine(json);
            return Ok;
        }
        catch (DomainException e)
        {
            stderr.WriteLine($"ndhm fidelius: {e.Title}{(e.Detail is null || e.Detail == e.Title ? "" : " " + e.Detail)} ({e.Code})");
            return InvalidInput;
        }
    }

    private static string GenerateKeyMaterial()
    {
        var privateKey = FideliusPrivateKey.Generate();
        var nonce = FideliusNonce.Generate();
        return GsonJson.Object(
            ("privateKey", privateKey.ToBase64()),
            ("publicKey", privateKey.PublicKey.ToBase64()),
            ("x509PublicKey", privateKey.PublicKey.ToX509Base64()),
            ("nonce", nonce.ToBase64()));
    }

    private static string Encrypt(byte[] plaintext, string[] rest)
    {
        var encrypted = FideliusCipher.EncryptToBase64(plaintext,
            senderNonce: FideliusNonce.Parse(rest[1]),
            requesterNonce: FideliusNonce.Parse(rest[2]),
            senderPrivateKey: FideliusPrivateKey.Parse(rest[3]),
            requesterPublicKey: FideliusPublicKey.Parse(rest[4]));
        return GsonJson.Object(("encryptedData", encrypted));
    }

    private static string Decrypt(string[] rest)
    {
        var text = FideliusCipher.DecryptToString(rest[0],
            requesterNonce: FideliusNonce.Parse(rest[1]),
            senderNonce: FideliusNonce.Parse(rest[2]),
            requesterPrivateKey: FideliusPrivateKey.Parse(rest[3]),
            senderPublicKey: FideliusPublicKey.Parse(rest[4]));
        return GsonJson.Object(("decryptedData", text));
    }

    private static byte[] DecodeText(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest,
                "The text to encrypt is not valid base64.");
        }
    }

    /// <summary>
    /// JSON exactly as the Java tool prints it (Gson, pretty printing, HTML escaping off): two-space indent,
    /// <c>"key": "value"</c>, only quote, backslash, control characters and U+2028/U+2029 escaped.
    /// </summary>
    private static class GsonJson
    {
        public static string Object(params (string Name, string Value)[] members)
        {
            var json = new StringBuilder("{\n");
            for (var i = 0; i < members.Length; i++)
            {
                json.Append("  ");
                AppendString(json, members[i].Name);
                json.Append(": ");
                AppendString(json, members[i].Value);
                json.Append(i < members.Length - 1 ? ",\n" : "\n");
            }

            return json.Append('}').ToString();
        }

        private static void AppendString(StringBuilder json, string value)
        {
            json.Append('"');
            foreach (var c in value)
            {
                _ = c switch
                {
                    '"' => json.Append("\\\""),
                    '\\' => json.Append("\\\\"),
                    '\t' => json.Append("\\t"),
                    '\b' => json.Append("\\b"),
                    '\n' => json.Append("\\n"),
                    '\r' => json.Append("\\r"),
                    '\f' => json.Append("\\f"),
                    '\u2028' => json.Append("\\u2028"),
                    '\u2029' => json.Append("\\u2029"),
                    < ' ' => json.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                    _ => json.Append(c),
                };
            }

            json.Append('"');
        }
    }
}
