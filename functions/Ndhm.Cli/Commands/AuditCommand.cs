using System.Net.Http.Headers;
using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.Cli.Commands;

/// <summary>
/// <c>ndhm audit verify</c>: checks an audit chain (hashes, links, sequence, signed head) over an export file, or over
/// the live store through a running host's admin export endpoint. Exit codes: 0 intact, 1 tampered (the first bad
/// entry is printed), 2 usage error or the export/keys could not be read.
/// </summary>
public static class AuditCommand
{
    private const string Usage = """
        ndhm audit: verify the platform's hash-chained audit trail

        usage:
          ndhm audit verify <export.json> [--jwks <jwks.json>]
                    verify an exported chain (GET /api/v1/admin/audit/chains/{chain}/export); the signed head is
                    checked against --jwks (the platform's /api/.well-known/jwks.json, fetched independently), else
                    against the keys inside the export
          ndhm audit verify --host <url> --chain <key> [--token <admin token>]
                    export the chain from a running host (PLATFORM_ADMIN token, or NDHM_TOKEN) and verify it here,
                    against the host's /api/.well-known/jwks.json
          ndhm audit hash <entry.json>
                    print an entry's canonical form (RFC 8785 JCS) and its SHA-256 hash

        prints the verification report as JSON; exit 0 intact, 1 tampered (firstProblem names the first bad entry),
        2 usage error or unreadable input
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return args[0] switch
            {
                "verify" => Verify(args[1..], stdout, stderr),
                "hash" when args.Length == 2 => Hash(args[1], stdout),
                _ => UsageError(stderr, $"unknown or incomplete audit command '{string.Join(' ', args)}'"),
            };
        }
        catch (Exception e) when (e is IOException or JsonException or HttpRequestException or UnauthorizedAccessException or FormatException)
        {
            stderr.WriteLine($"ndhm audit: {e.Message}");
            return 2;
        }
    }

    private static int Verify(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = Options(args, out var positional);
        AuditExport export;
        IReadOnlyList<PublicJsonWebKey>? keys = null;
        if (options.TryGetValue("--host", out var host))
        {
            if (!options.TryGetValue("--chain", out var chain) || positional.Count > 0)
            {
                return UsageError(stderr, "--host needs --chain <key> and no file");
            }

            var token = options.GetValueOrDefault("--token") ?? Environment.GetEnvironmentVariable("NDHM_TOKEN");
            (export, keys) = FetchAsync(new Uri(host.TrimEnd('/') + "/"), chain, token).GetAwaiter().GetResult();
        }
        else
        {
            if (positional.Count != 1)
            {
                return UsageError(stderr, "verify needs one export file (or --host)");
            }

            export = AuditExport.Parse(File.ReadAllText(positional[0]));
            if (options.TryGetValue("--jwks", out var jwks))
            {
                keys = ParseKeys(File.ReadAllText(jwks));
            }
        }

        var report = export.Verify(keys);
        stdout.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(NdhmJson.Options) { WriteIndented = true }));
        return report.Intact ? 0 : 1;
    }

    private static int Hash(string path, TextWriter stdout)
    {
        using var entry = JsonDocument.Parse(File.ReadAllText(path));
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(AuditCanonicalJson.Serialize(entry.RootElement)));
        stdout.WriteLine(AuditHashing.HashOf(entry.RootElement));
        return 0;
    }

    private static async Task<(AuditExport, IReadOnlyList<PublicJsonWebKey>)> FetchAsync(Uri host, string chain, string? token)
    {
        using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/admin/audit/chains/{Uri.EscapeDataString(chain)}/export");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"export answered {(int)response.StatusCode}: {body}");
        }

        var jwks = await http.GetStringAsync("api/.well-known/jwks.json");
        return (AuditExport.Parse(body), ParseKeys(jwks));
    }

    private static IReadOnlyList<PublicJsonWebKey> ParseKeys(string json) =>
        JsonSerializer.Deserialize<JsonWebKeySet>(json, NdhmJson.Options)?.Keys ?? throw new JsonException("Not a JWKS.");

    private static Dictionary<string, string> Options(string[] args, out List<string> positional)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        positional = [];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length) throw new FormatException($"{args[i]} needs a value");
                options[args[i]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return options;
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"ndhm audit: {message}\n\n{Usage}");
        return 2;
    }
}
