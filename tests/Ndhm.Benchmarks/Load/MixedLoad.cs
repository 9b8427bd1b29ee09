using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ndhm.Benchmarks.Load;

/// <summary>
/// The bounded mixed load run (issue #17): every flow at one steady rate against a running sandbox (the host and the
/// sample partners, loopback only), for a fixed time and a fixed count, then it stops by itself. Operation i starts at
/// i / rate seconds (open loop: a slow answer does not slow the offered load) and is flow i mod 5: an enrolment
/// (mobile OTP), a consent (the sample clinic asks, the patient grants, the clinic is notified), a data transfer (a
/// granted consent, the clinic asks for the data, the sample hospital pushes, the clinic holds the records), a booking
/// (init + confirm of a published slot) and a pharmacy order (prescription, share, quote, order, ACCEPTED applied by the
/// queue worker). Every 5 s the resident memory (VmRSS) of every process the sandbox recorded is sampled. Printed: per
/// flow count, ok, deliberate 429s, errors, p50/p99; the RSS samples per process and their growth; exit 1 on any error.
/// Usage: dotnet Ndhm.Benchmarks.dll mixed-load hostUrl partnersUrl seconds opsPerSecond pidsDir
/// (local-emulators/load.sh starts a sandbox of its own and runs it).
/// </summary>
public static class MixedLoad
{
    private static readonly string[] Flows = ["enrolment", "consent", "data transfer", "booking", "pharmacy order"];

    public static async Task<int> RunAsync(string[] args)
    {
        var host = new Uri((args.Length > 0 ? args[0] : "http://127.0.0.1:7071").TrimEnd('/') + "/");
        var partnersUrl = new Uri((args.Length > 1 ? args[1] : "http://127.0.0.1:7072").TrimEnd('/') + "/");
        var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 600;
        var rate = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 1.0;
        var pidsDir = args.Length > 4 ? args[4] : null;
        if (!IPAddress.IsLoopback(IPAddress.Parse(host.Host)) || !IPAddress.IsLoopback(IPAddress.Parse(partnersUrl.Host)))
        {
            Console.Error.WriteLine("mixed-load runs against loopback addresses only (127.0.0.1)");
            return 2;
        }

        var count = (int)Math.Round(seconds * rate);
        using var platform = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(60) };
        using var partners = new HttpClient { BaseAddress = partnersUrl, Timeout = TimeSpan.FromSeconds(60) };
        var world = await World.PrepareAsync(platform, partners, count / Flows.Length + 2);
        var samples = new ConcurrentBag<(string Flow, Outcome Outcome, double Ms)>();
        var memory = new List<(double At, Dictionary<string, long> RssKb)>();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                lock (memory) memory.Add((clock.Elapsed.TotalSeconds, Rss(pidsDir)));
                try { await Task.Delay(TimeSpan.FromSeconds(5), stop.Token); } catch (OperationCanceledException) { }
            }
        });

        Console.WriteLine($"mixed load: {count} operations at {rate:F2}/s for {seconds} s against {host} (partners {partnersUrl}), {Environment.ProcessorCount} cores");
        var running = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var flow = Flows[i % Flows.Length];
            var index = i;
            running.Add(Task.Run(async () =>
            {
                var watch = Stopwatch.StartNew();
                var outcome = await RunOneAsync(world, flow, index);
                samples.Add((flow, outcome, watch.Elapsed.TotalMilliseconds));
            }));
        }

        // Bounded: whatever has not finished 3 minutes after the last start counts as an error.
        var all = Task.WhenAll(running);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromMinutes(3)));
        var unfinished = running.Count(t => !t.IsCompleted);
        await stop.CancelAsync();
        await sampler;
        lock (memory) memory.Add((clock.Elapsed.TotalSeconds, Rss(pidsDir)));

        Console.WriteLine($"ran {clock.Elapsed.TotalSeconds:F0} s; {samples.Count} finished, {unfinished} unfinished");
        Console.WriteLine($"{"flow",-16} {"count",6} {"ok",6} {"429",5} {"errors",7} {"p50 ms",8} {"p99 ms",8}");
        foreach (var flow in Flows)
        {
            var mine = samples.Where(s => s.Flow == flow).ToList();
            var ok = mine.Where(s => s.Outcome.Kind == OutcomeKind.Ok).Select(s => s.Ms).Order().ToList();
            Console.WriteLine($"{flow,-16} {mine.Count,6} {ok.Count,6} {mine.Count(s => s.Outcome.Kind == OutcomeKind.Limited),5} " +
                              $"{mine.Count(s => s.Outcome.Kind == OutcomeKind.Error),7} {P(ok, 0.50),8:F0} {P(ok, 0.99),8:F0}");
        }

        foreach (var error in samples.Where(s => s.Outcome.Kind == OutcomeKind.Error).GroupBy(s => s.Flow + ": " + s.Outcome.Detail).Take(10))
        {
            Console.WriteLine($"  error x{error.Count()}: {error.Key}");
        }

        PrintMemory(memory);
        var errors = samples.Count(s => s.Outcome.Kind == OutcomeKind.Error) + unfinished;
        Console.WriteLine(errors == 0 ? "no errors other than deliberate 429s" : $"{errors} errors");
        return errors == 0 ? 0 : 1;
    }

    private static async Task<Outcome> RunOneAsync(World world, string flow, int index)
    {
        try
        {
            return flow switch
            {
                "enrolment" => await world.EnrolAsync(),
                "consent" => (await world.ConsentAsync()).Outcome,
                "data transfer" => await world.TransferAsync(),
                "booking" => await world.BookAsync(index / Flows.Length),
                _ => await world.PharmacyOrderAsync(),
            };
        }
        catch (LimitedException e)
        {
            return new Outcome(OutcomeKind.Limited, e.Message);
        }
        catch (Exception e)
        {
            return new Outcome(OutcomeKind.Error, e.GetType().Name + ": " + e.Message.Split('\n')[0]);
        }
    }

    /// <summary>VmRSS (kB) of each process the sandbox recorded (pids/NAME.pid), by name.</summary>
    private static Dictionary<string, long> Rss(string? pidsDir)
    {
        var result = new Dictionary<string, long>();
        if (pidsDir is null || !Directory.Exists(pidsDir)) return result;
        foreach (var file in Directory.GetFiles(pidsDir, "*.pid"))
        {
            var status = $"/proc/{File.ReadAllText(file).Trim()}/status";
            if (!File.Exists(status)) continue;
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null) result[Path.GetFileNameWithoutExtension(file)] = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }

        return result;
    }

    private static void PrintMemory(List<(double At, Dictionary<string, long> RssKb)> memory)
    {
        var names = memory.SelectMany(m => m.RssKb.Keys).Distinct().Order().ToList();
        if (names.Count == 0)
        {
            Console.WriteLine("RSS: no sandbox pids directory given (pidsDir), memory not sampled");
            return;
        }

        Console.WriteLine("RSS (MB) every ~minute:");
        Console.WriteLine($"{"t s",6} " + string.Join(" ", names.Select(n => $"{n,10}")));
        var shown = memory.Where((m, i) => i == 0 || i == memory.Count - 1 || i % 12 == 0).ToList();
        foreach (var (at, rss) in shown)
        {
            Console.WriteLine($"{at,6:F0} " + string.Join(" ", names.Select(n => rss.TryGetValue(n, out var kb) ? $"{kb / 1024.0,10:F0}" : $"{"-",10}")));
        }

        // Flat means: the second half's peak within 10% (or 25 MB) of the first half's peak, once warm.
        var half = memory.Count / 2;
        foreach (var name in names)
        {
            var first = memory.Take(half).Select(m => m.RssKb.GetValueOrDefault(name)).DefaultIfEmpty().Max() / 1024.0;
            var second = memory.Skip(half).Select(m => m.RssKb.GetValueOrDefault(name)).DefaultIfEmpty().Max() / 1024.0;
            var flat = second <= Math.Max(first * 1.10, first + 25);
            Console.WriteLine($"  {name}: peak first half {first:F0} MB, second half {second:F0} MB ({(first > 0 ? (second - first) / first : 0):P0}) {(flat ? "flat" : "GROWING")}");
        }
    }

    private static double P(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];

    internal enum OutcomeKind { Ok, Limited, Error }

    internal sealed record Outcome(OutcomeKind Kind, string Detail)
    {
        public static readonly Outcome Done = new(OutcomeKind.Ok, "");
    }

    internal sealed class LimitedException(string message) : Exception(message);

    /// <summary>What the flows share: the sample partners' names, a patient with an address, a doctor's slots, a pharmacy.</summary>
    private sealed class World(HttpClient platform, HttpClient partners)
    {
        private readonly ConcurrentQueue<string> slots = new();
        private string patient = "", address = "", hospital = "", admin = "", clinic = "", hpr = "", doctorRx = "", pharmacy = "", pharmacyToken = "";
        private string patientNumber = "";
        private string patientRx = "";

        public static async Task<World> PrepareAsync(HttpClient platform, HttpClient partners, int bookings)
        {
            var world = new World(platform, partners);
            await world.SetUpAsync(bookings);
            return world;
        }

        private async Task SetUpAsync(int bookings)
        {
            // The consenting patient: a sandbox KYC identity (Asha Verma), as the consent load run uses.
            patient = await EnrolAshaAsync();
            address = (await SendAsync(platform, HttpMethod.Get, "api/v3/profile/account", patient)).GetProperty("preferredAbhaAddress").GetString()!;
            var all = (await SendAsync(partners, HttpMethod.Get, "partners", null)).GetProperty("partners").EnumerateArray().ToList();
            hospital = all.Single(p => p.GetProperty("name").GetString() == "hospital").GetProperty("facilityId").GetString()!;
            // Only care contexts linked to the patient can be granted: Asha links her hospital visit once, up front.
            await Ndhm.Benchmarks.Consent.ConsentLoad.EnsureLinkedAsync(platform, partners, patient, hospital, "OP-2025-0412");
            admin = await TokenAsync(new { subject = "load-admin", roles = new[] { "PLATFORM_ADMIN" } });
            clinic = (await SendAsync(platform, HttpMethod.Post, "api/v1/facilities", admin, Facility("Load Clinic", "Clinic", "500033"))).GetProperty("facilityId").GetString()!;
            hpr = (await SendAsync(platform, HttpMethod.Post, "api/v1/professionals", admin, new
            {
                name = "Load Doctor", category = "doctor", council = "Telangana State Medical Council", registrationNumber = "TSMC/L" + Guid.NewGuid().ToString("N")[..8],
                qualifications = new[] { "MBBS" }, specialties = new[] { "General Medicine" }, languages = new[] { "English" }, facilityIds = new[] { clinic },
            })).GetProperty("hprId").GetString()!;
            await SendAsync(platform, HttpMethod.Post, $"api/v1/professionals/{hpr}/verify", admin);
            var teleDoctor = await TokenAsync(new { subject = "load-doctor", roles = new[] { "TELECONSULT" }, hprId = hpr });
            doctorRx = await TokenAsync(new { subject = hpr, roles = new[] { "HEALTH_WORKER" } });
            var start = DateTimeOffset.UtcNow.AddDays(2);
            var from = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
            while (slots.Count < bookings)
            {
                var batch = Math.Min(96, bookings - slots.Count);
                var published = await SendAsync(platform, HttpMethod.Post, "api/v1/telemedicine/slots", teleDoctor, new
                {
                    facilityId = clinic, specialty = "General Medicine", languages = new[] { "English" }, modes = new[] { "video" },
                    feeInr = 300, durationMinutes = 5, from, until = from.AddMinutes(5 * batch),
                });
                foreach (var slot in published.GetProperty("slots").EnumerateArray()) slots.Enqueue(slot.GetProperty("slotId").GetString()!);
                from = from.AddMinutes(5 * batch);
            }

            pharmacy = (await SendAsync(platform, HttpMethod.Post, "api/v1/facilities", admin, Facility("Load Pharmacy", "Pharmacy", "500034")))
                .GetProperty("facilityId").GetString()!;
            var partner = "load-rx-" + Guid.NewGuid().ToString("N")[..8];
            await SendAsync(platform, HttpMethod.Post, "api/v1/partners", admin, new
            {
                clientId = partner, name = "Load Pharmacy", roles = new[] { "PHARMACY" }, bridgeUrl = platform.BaseAddress + "api/sandbox/bridges/pharmacy",
                facilities = new[] { pharmacy },
            });
            pharmacyToken = await TokenAsync(new { subject = partner, roles = new[] { "PHARMACY" } });
            patientNumber = "91123456789015";
            patientRx = await TokenAsync(new { subject = patientNumber, roles = new[] { "PATIENT" } });
        }

        public async Task<Outcome> EnrolAsync()
        {
            var mobile = "7" + string.Concat(Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)));
            var txnId = (await SendAsync(platform, HttpMethod.Post, "api/v3/enrollment/request/otp", null, new { loginHint = "mobile", loginId = mobile }))
                .GetProperty("txnId").GetString()!;
            var outbox = await SendAsync(platform, HttpMethod.Get, $"api/sandbox/otp-outbox?mobile={mobile}", null);
            var otp = outbox.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("txnId").GetString() == txnId).GetProperty("otp").GetString();
            var enrolled = await SendAsync(platform, HttpMethod.Post, "api/v3/enrollment/enrol/byMobile", null, new
            {
                authData = new { authMethods = new[] { "otp" }, otp = new { txnId, otpValue = otp, mobile } },
                consent = new { code = "abha-enrollment", version = "1.4" },
                firstName = "Load", lastName = "Test", gender = "O", yearOfBirth = 1990,
            });
            _ = enrolled.GetProperty("ABHAProfile").GetProperty("ABHANumber").GetString();
            return Outcome.Done;
        }

        public async Task<(Outcome Outcome, string Artefact)> ConsentAsync()
        {
            var asked = await SendAsync(partners, HttpMethod.Post, "clinic/consent-requests", null,
                new { patient = address, hip = "hospital", hiTypes = new[] { "OPConsultation", "Prescription", "DischargeSummary" } });
            var requestId = asked.GetProperty("requestId").GetString()!;
            var requested = await UntilAsync(() => SendAsync(partners, HttpMethod.Get, $"clinic/consent-requests/{requestId}", null),
                r => r.GetProperty("status").GetString() != "SENT");
            var consentRequestId = requested.TryGetProperty("consentRequestId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()! : throw new InvalidOperationException("the clinic's request failed: " + requested);
            var granted = await SendAsync(platform, HttpMethod.Post, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", patient, new
            {
                hips = new[] { new { id = hospital, careContexts = new[] { new { patientReference = "HOSP-MRN-1001", careContextReference = "OP-2025-0412" } } } },
            });
            var artefact = granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
            await UntilAsync(() => SendAsync(partners, HttpMethod.Get, $"clinic/consent-requests/{requestId}", null), r => r.GetProperty("status").GetString() == "GRANTED");
            return (Outcome.Done, artefact);
        }

        public async Task<Outcome> TransferAsync()
        {
            var (_, artefact) = await ConsentAsync();
            await UntilAsync(() => SendAsync(partners, HttpMethod.Get, "hospital/consents", null), c => c.GetProperty("consents").TryGetProperty(artefact, out _));
            // The range of the sample hospital's records (as the README's walkthrough asks).
            await SendAsync(partners, HttpMethod.Post, "clinic/health-information-requests", null,
                new { consentId = artefact, from = "2016-01-01T00:00:00.000Z", to = "2020-01-01T00:00:00.000Z" });
            await UntilAsync(() => SendAsync(partners, HttpMethod.Get, "clinic/health-records", null),
                r => r.GetProperty("records").EnumerateArray().Any(x => x.GetProperty("consentArtefactId").GetString() == artefact));
            return Outcome.Done;
        }

        public async Task<Outcome> BookAsync(int _)
        {
            if (!slots.TryDequeue(out var slotId)) throw new InvalidOperationException("no slot left (the run published too few)");
            var booker = await TokenAsync(new { subject = NewAbhaNumber(), roles = new[] { "PATIENT" } });
            var held = await SendAsync(platform, HttpMethod.Post, "api/v1/telemedicine/init", booker, new { slotId, mode = "video" });
            var appointment = held.GetProperty("appointmentId").GetString()!;
            await SendAsync(platform, HttpMethod.Post, "api/v1/telemedicine/confirm", booker,
                new { appointmentId = appointment, paymentReference = "load-" + appointment[..8], teleconsultationConsent = true });
            return Outcome.Done;
        }

        public async Task<Outcome> PharmacyOrderAsync()
        {
            var consultation = Guid.NewGuid().ToString();
            await SendAsync(platform, HttpMethod.Post, "api/sandbox/consultation-facts", null, new
            {
                consultationId = consultation, doctorHprId = hpr, patientAbhaNumber = patientNumber, mode = "VIDEO", isFollowUp = false,
                conditionCode = "J02", facilityId = clinic, status = "IN_PROGRESS",
            });
            var prescription = (await SendAsync(platform, HttpMethod.Post, $"api/v1/consultations/{consultation}/prescriptions", doctorRx, new
            {
                conditionCode = "J02",
                items = new[] { new { drugCode = "SAMPLE-AMOX-500-CAP", dosage = "1 unit", frequencyPerDay = 2, durationDays = 5, quantity = 10, substitutionAllowed = false } },
            })).GetProperty("id").GetString()!;
            var share = (await SendAsync(platform, HttpMethod.Post, $"api/v1/patients/me/prescriptions/{prescription}/shares", patientRx, new { pharmacyId = pharmacy }))
                .GetProperty("id").GetString()!;
            await SendAsync(platform, HttpMethod.Post, $"api/v1/pharmacy/prescription-shares/{share}/quotes", pharmacyToken,
                new { pharmacyId = pharmacy, lines = new[] { new { line = 1, available = true, unitPrice = 2.5m } } });
            var order = (await SendAsync(platform, HttpMethod.Post, $"api/v1/patients/me/prescription-shares/{share}/orders", patientRx, new { pharmacyId = pharmacy }))
                .GetProperty("id").GetString()!;
            await SendAsync(platform, HttpMethod.Post, $"api/v1/pharmacy/orders/{order}/status", pharmacyToken, new { status = "ACCEPTED" });
            await UntilAsync(() => SendAsync(platform, HttpMethod.Get, $"api/v1/patients/me/pharmacy-orders/{order}", patientRx),
                o => o.GetProperty("status").GetString() == "ACCEPTED");
            return Outcome.Done;
        }

        private async Task<string> EnrolAshaAsync()
        {
            var txn = (await SendAsync(platform, HttpMethod.Post, "api/v3/enrollment/request/otp", null,
                new { scope = new[] { "abha-enrol" }, loginHint = "aadhaar", loginId = "999900000016", otpSystem = "aadhaar" })).GetProperty("txnId").GetString()!;
            var outbox = await SendAsync(platform, HttpMethod.Get, "api/sandbox/otp-outbox?mobile=9000000001", null);
            var otp = outbox.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("txnId").GetString() == txn).GetProperty("otp").GetString();
            var enrolled = await SendAsync(platform, HttpMethod.Post, "api/v3/enrollment/enrol/byAadhaar", null, new
            {
                authData = new { authMethods = new[] { "otp" }, otp = new { txnId = txn, otpValue = otp } },
                consent = new { code = "abha-enrollment", version = "1.4" },
            });
            var token = enrolled.GetProperty("tokens").GetProperty("token").GetString()!;
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v3/enrollment/enrol/abha-address")
            {
                Content = JsonContent.Create(new { abhaAddress = "asha.verma", preferred = true }),
            };
            request.Headers.Authorization = new("Bearer", token);
            using var added = await platform.SendAsync(request);   // 409 when she has it already
            return token;
        }

        private async Task<string> TokenAsync(object request) =>
            (await SendAsync(platform, HttpMethod.Post, "api/sandbox/tokens", null, request)).GetProperty("accessToken").GetString()!;

        private static object Facility(string name, string type, string pincode) => new
        {
            facilityName = name + " " + Guid.NewGuid().ToString("N")[..6], facilityType = type, ownership = "Private",
            systemsOfMedicine = new[] { "Modern Medicine" },
            address = new { addressLine = "Road 1", city = "Hyderabad", district = "Hyderabad", stateCode = "36", pincode },
            geoLocation = new { latitude = 17.4239, longitude = 78.4128 },
            contact = new { phone = "+91 40 2360 7777" },
        };

        private static string NewAbhaNumber()
        {
            var body = "91" + string.Concat(Enumerable.Range(0, 11).Select(_ => Random.Shared.Next(10)));
            return Ndhm.HealthId.Numbers.AbhaNumber.FromBody(body).Digits;
        }

        private static async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (true)
            {
                var last = await read();
                if (done(last)) return last;
                if (DateTime.UtcNow > deadline) throw new TimeoutException("never reached: " + last.ToString()[..Math.Min(300, last.ToString().Length)]);
                await Task.Delay(100);
            }
        }

        /// <summary>One call; 429 is the deliberate limit (counted apart), any other non-2xx an error.</summary>
        private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (token is not null) request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.TooManyRequests) throw new LimitedException($"{method} {path}: 429");
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
            return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
        }
    }
}
