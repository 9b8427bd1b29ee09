using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;
using Ndhm.Fhir;
using Ndhm.IntegrationTests.Support;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.IntegrationTests.Pharmacy;

/// <summary>E-prescriptions and pharmacy fulfilment over the real HTTP surface, queue trigger and emulators.</summary>
public sealed class PrescriptionAndFulfilmentTests(PharmacyHostFixture host) : IClassFixture<PharmacyHostFixture>
{
    private sealed record Jwks(IReadOnlyList<PublicJsonWebKey> Keys);

    [Fact]
    public async Task GivenAFirstVideoConsultation_WhenTheDoctorPrescribes_ThenThePharmacyVerifiesItOffline_AndAnAlteredOrForgedCopyFails()
    {
        var world = await host.WorldAsync();
        var (status, issued) = await world.PrescribeAsync(await world.ConsultationAsync(), "J02",
            PharmacyWorld.Item("SAMPLE-AMOX-500-CAP", 15, substitution: true), PharmacyWorld.Item("SAMPLE-PCM-500-TAB", 9));
        Assert.True(status == HttpStatusCode.Created, issued.ToString());
        var jwks = JsonSerializer.Deserialize<Jwks>(await host.Client.GetStringAsync("api/.well-known/jwks.json"), NdhmJson.Options)!.Keys;
        var document = issued.GetProperty("document").GetRawText();

        var verified = PrescriptionSignatures.Verify(document, jwks);
        var bundle = FhirJson.ParseBundle(document);
        bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.MedicationRequest>().First().DispenseRequest!.Quantity!.Value = 150;
        var altered = PrescriptionSignatures.Verify(FhirJson.Serialize(bundle), jwks);
        var other = (await world.PrescribeAsync(await world.ConsultationAsync(), "J02", PharmacyWorld.Item("SAMPLE-PCM-500-TAB", 9))).Body;
        var spliced = FhirJson.ParseBundle(document);
        spliced.Signature = FhirJson.ParseBundle(other.GetProperty("document").GetRawText()).Signature;

        Assert.True(verified.Valid, verified.Reason);
        Assert.Equal(world.Doctor, verified.HprId);
        Assert.False(altered.Valid);
        Assert.False(PrescriptionSignatures.Verify(FhirJson.Serialize(spliced), jwks).Valid);
        var (_, read) = await host.CallAsync(HttpMethod.Get, $"api/v1/prescriptions/{issued.GetProperty("id").GetString()}", world.PatientToken);
        Assert.Equal(document, read.GetProperty("document").GetRawText());
    }

    [Fact]
    public async Task GivenTheGuidelines_WhenAPrescriptionBreaksThem_ThenItIsRefusedNamingTheDrugAndTheRule_AndNothingIsIssued()
    {
        var world = await host.WorldAsync();

        var listB = await world.PrescribeAsync(await world.ConsultationAsync(), "E11", PharmacyWorld.Item("SAMPLE-MET-500-TAB", 60));
        var listAByAudio = await world.PrescribeAsync(await world.ConsultationAsync(mode: "AUDIO"), "J02", PharmacyWorld.Item("SAMPLE-AMOX-500-CAP", 15));
        var prohibited = await world.PrescribeAsync(await world.ConsultationAsync(followUp: true, condition: "F41"), "F41", PharmacyWorld.Item("SAMPLE-ALP-05-TAB", 10));
        var followUpB = await world.PrescribeAsync(await world.ConsultationAsync(mode: "CHAT", followUp: true, condition: "E11"), "E11",
            PharmacyWorld.Item("SAMPLE-MET-500-TAB", 60));
        var otherDoctor = await host.TokenAsync("71234567890123", "HEALTH_WORKER");
        var notTheirs = await host.CallAsync(HttpMethod.Post, $"api/v1/consultations/{await world.ConsultationAsync()}/prescriptions", otherDoctor,
            new { items = new[] { PharmacyWorld.Item("SAMPLE-PCM-500-TAB", 9) } });

        Assert.Equal((HttpStatusCode.BadRequest, "TPG_LIST_B_NEEDS_FOLLOW_UP_FOR_SAME_CONDITION", "SAMPLE-MET-500-TAB"), Refusal(listB));
        Assert.Equal((HttpStatusCode.BadRequest, "TPG_LIST_A_NEEDS_FIRST_VIDEO_CONSULTATION", "SAMPLE-AMOX-500-CAP"), Refusal(listAByAudio));
        Assert.Equal((HttpStatusCode.BadRequest, "TPG_PROHIBITED_DRUG", "SAMPLE-ALP-05-TAB"), Refusal(prohibited));
        Assert.Equal(HttpStatusCode.Created, followUpB.Status);
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs.Status);
        Assert.Equal("NOT_THE_CONSULTING_DOCTOR", notTheirs.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenAnOrder_WhenThePharmacyMovesItToDelivered_ThenEachStepIsQueued_OwnersOnlySeeIt_AndDeliveryDispensesAndRegisters()
    {
        var world = await host.WorldAsync();
        var (pharmacy, pharmacyToken) = await host.PharmacyAsync(world.Admin, "Rx Flow Pharmacy");
        var (_, otherPharmacyToken) = await host.PharmacyAsync(world.Admin, "Rx Other Pharmacy");
        var prescription = await world.PrescriptionAsync(PharmacyWorld.Item("SAMPLE-AMOX-500-CAP", 15, substitution: false));
        var share = (await host.SendAsync(HttpMethod.Post, $"api/v1/patients/me/prescriptions/{prescription}/shares", world.PatientToken,
            new { pincode = host.Pincode })).GetProperty("id").GetString()!;

        var substitute = await host.CallAsync(HttpMethod.Post, $"api/v1/pharmacy/prescription-shares/{share}/quotes", pharmacyToken,
            new { pharmacyId = pharmacy, lines = new[] { new { line = 1, unitPrice = 6.5m, substituteDrugCode = "SAMPLE-AMOX-500-CAP-B" } } });
        var unquoted = await host.SendAsync(HttpMethod.Get, $"api/v1/patients/me/prescription-shares/{share}", world.PatientToken);
        await host.SendAsync(HttpMethod.Post, $"api/v1/pharmacy/prescription-shares/{share}/quotes", pharmacyToken,
            new { pharmacyId = pharmacy, lines = new[] { new { line = 1, unitPrice = 6.5m } } });
        var order = (await host.SendAsync(HttpMethod.Post, $"api/v1/patients/me/prescription-shares/{share}/orders", world.PatientToken,
            new { pharmacyId = pharmacy })).GetProperty("id").GetString()!;
        var early = await world.StepAsync(order, pharmacyToken, "PACKED");
        var foreign = await host.CallAsync(HttpMethod.Get, $"api/v1/pharmacy/orders/{order}", otherPharmacyToken);
        var foreignStep = await world.StepAsync(order, otherPharmacyToken, "ACCEPTED");
        var otherPatient = await host.CallAsync(HttpMethod.Get, $"api/v1/patients/me/pharmacy-orders/{order}",
            await host.TokenAsync(PharmacyHostFixture.NewAbhaNumber(), "PATIENT"));
        var steps = new[] { "ACCEPTED", "PACKED", "DISPATCHED", "DELIVERED" };
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await world.StepAsync(order, pharmacyToken, steps[i])).Status);
            await world.WaitForOrderAsync(order, o => PharmacyWorld.Has(o, steps[i], i + 2));
        }

        var delivered = await world.WaitForOrderAsync(order, o => PharmacyWorld.Has(o, "DELIVERED", 5));
        var late = await world.StepAsync(order, pharmacyToken, "PACKED");
        var register = await host.SendAsync(HttpMethod.Get, "api/v1/dispensing-register?take=500", world.Admin);

        Assert.Equal("SUBSTITUTION_NOT_ALLOWED", substitute.Body.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Undefined, unquoted.GetProperty("pharmacies")[0].TryGetProperty("quote", out var q) ? q.ValueKind : JsonValueKind.Undefined);
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("PLACED", early.Body.GetProperty("currentStatus").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.NotFound, foreignStep.Status);
        Assert.Equal(HttpStatusCode.NotFound, otherPatient.Status);
        Assert.Equal((HttpStatusCode.Conflict, "DELIVERED"), (late.Status, late.Body.GetProperty("currentStatus").GetString()));
        var dispense = delivered.GetProperty("medicationDispenses")[0];
        Assert.Equal("MedicationDispense", dispense.GetProperty("resourceType").GetString());
        Assert.Equal(15, dispense.GetProperty("quantity").GetProperty("value").GetInt32());
        var entry = register.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("orderId").GetString() == order);
        Assert.Equal((world.Doctor, world.Patient, "SAMPLE-AMOX-500-CAP", 15, "H"), (entry.GetProperty("prescriberHprId").GetString(),
            entry.GetProperty("patientAbhaNumber").GetString(), entry.GetProperty("drugCode").GetString(), entry.GetProperty("quantity").GetInt32(),
            entry.GetProperty("schedule").GetString()));
    }

    [Fact]
    public async Task GivenTwoPharmaciesAcceptingOrdersForTheWholePrescriptionAtOnce_WhenProcessed_ThenOnlyOneGetsIt_AndTheOtherIsRejectedExhausted()
    {
        var world = await host.WorldAsync();
        var (first, firstToken) = await host.PharmacyAsync(world.Admin, "Rx Race Pharmacy 1");
        var (second, secondToken) = await host.PharmacyAsync(world.Admin, "Rx Race Pharmacy 2");
        var prescription = await world.PrescriptionAsync(PharmacyWorld.Item("SAMPLE-PCM-500-TAB", 10));
        var firstOrder = await world.OrderAsync(prescription, first, firstToken);
        var secondOrder = await world.OrderAsync(prescription, second, secondToken);

        var accepted = await Task.WhenAll(world.StepAsync(firstOrder, firstToken, "ACCEPTED"), world.StepAsync(secondOrder, secondToken, "ACCEPTED"));
        var outcomes = await Task.WhenAll(
            world.WaitForOrderAsync(firstOrder, o => o.GetProperty("events").GetArrayLength() >= 2),
            world.WaitForOrderAsync(secondOrder, o => o.GetProperty("events").GetArrayLength() >= 2));

        Assert.All(accepted, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        var statuses = outcomes.Select(o => o.GetProperty("status").GetString()).Order().ToList();
        Assert.Equal(["ACCEPTED", "REJECTED"], statuses);
        Assert.Equal("PRESCRIPTION_EXHAUSTED", outcomes.Single(o => o.GetProperty("status").GetString() == "REJECTED").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task GivenPoisonOrderMessages_WhenTheyFail_ThenOtherOrdersFlow_AndTheMessagesLandInThePoisonQueueForOperators()
    {
        var world = await host.WorldAsync();
        var (pharmacy, token) = await host.PharmacyAsync(world.Admin, "Rx Poison Pharmacy");
        var name = JsonDocument.Parse((await host.SendAsync(HttpMethod.Get, "api/v1/operations/pharmacy-orders/poison", world.Admin)).GetRawText())
            .RootElement.GetProperty("queue").GetString()!;
        var queue = new QueueClient(SandboxEndpoints.StorageConnectionString, name[..^"-poison".Length], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var marker = Guid.NewGuid().ToString();
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("{\"orderId\":\"" + marker + "\",\"eventId\":\"" + Guid.NewGuid() + "\",\"status\":\"ACCEPTED\",\"actor\":\"pharmacy\"}");
        await queue.SendMessageAsync("not json " + marker);

        var order = await world.OrderAsync(await world.PrescriptionAsync(PharmacyWorld.Item("SAMPLE-ORS-21-SACHET", 4)), pharmacy, token);
        await world.StepAsync(order, token, "ACCEPTED");
        var flowed = await world.WaitForOrderAsync(order, o => PharmacyWorld.Has(o, "ACCEPTED", 2), TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(150);
        JsonElement poison;
        do
        {
            await Task.Delay(2000);
            poison = await host.SendAsync(HttpMethod.Get, "api/v1/operations/pharmacy-orders/poison", world.Admin);
        } while (poison.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("body").GetString()!.Contains(marker)) < 2 && DateTime.UtcNow < deadline);

        Assert.Equal("ACCEPTED", flowed.GetProperty("status").GetString());
        Assert.Equal(2, poison.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("body").GetString()!.Contains(marker)));
        Assert.Equal(HttpStatusCode.Forbidden, (await host.CallAsync(HttpMethod.Get, "api/v1/operations/pharmacy-orders/poison", world.PatientToken)).Status);
    }

    private static (HttpStatusCode, string?, string?) Refusal((HttpStatusCode Status, JsonElement Body) r) =>
        (r.Status, r.Body.GetProperty("code").GetString(), r.Body.TryGetProperty("drug", out var d) ? d.GetString() : null);
}
