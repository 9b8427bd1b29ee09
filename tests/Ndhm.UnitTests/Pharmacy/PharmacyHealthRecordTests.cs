using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Concurrency;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Consultations;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;
using Ndhm.UnitTests.HealthId;
using Ndhm.UnitTests.Security.Tokens;
using Ndhm.UnitTests.Telemedicine;
using Task = System.Threading.Tasks.Task;

namespace Ndhm.UnitTests.Pharmacy;

/// <summary>Prescriptions and deliveries handed to the patient's health record (the port <c>IProviderRecords</c>).</summary>
public sealed class PharmacyHealthRecordTests
{
    private const string Consultation = "5b1f3c2e-8a47-4c59-9d1e-2f6a7b8c9d01";
    private const string Pharmacy = "IN3610000077";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Now);
    private readonly InMemoryPrescriptions prescriptions = new();
    private readonly InMemoryLedgers ledgers = new();
    private readonly InMemoryOrders orders = new();
    private readonly RecordingProviderRecords records = new();
    private readonly ConcurrentAuditTrail audit = new();

    private PharmacyAudit Audit => new(audit, new NoCurrentActor());

    private PrescriptionService Prescribing => new(new Facts(), new FakeProfessionals(), new FakeFacilities(), DrugCatalogue.Sample(),
        new PrescriptionSigner(new InMemorySigningKeys()), prescriptions, ledgers, Audit, new PharmacyOptions(), time, records);

    private OrderProcessor Processor => new(orders, prescriptions, ledgers, new NoRegister(), new NoNotifier(), Audit, time, records);

    private static PrescriptionInput Input() => new("J02", "Sore throat",
        [new PrescriptionItemInput("SAMPLE-PCM-500-TAB", "1 tablet", 3, 3, 9, false, null)], null);

    [Fact]
    public async Task GivenAConsultationInProgress_WhenTheDoctorPrescribes_ThenTheSignedDocumentGoesToThePatientsRecord_LinkedAtTheDoctorsFacility()
    {
        var prescription = await Prescribing.IssueAsync(TelemedicineRig.Doctor, Consultation, Input(), default);

        var added = Assert.Single(records.Added);
        Assert.Equal((TelemedicineRig.Patient, TelemedicineRig.Facility, "RX-" + prescription.Id, "Prescription", true, Now, TelemedicineRig.Doctor),
            (added.PatientNumber, added.FacilityId, added.CareContextReference, added.HiType, added.LinkAsCareContext, added.RecordDate, added.Author));
        Assert.Equal(prescription.SignedBundle, added.BundleJson);
        Assert.Equal("E-prescription from Anita Sharma, 3 Dec 2026", added.Display);
    }

    [Fact]
    public async Task GivenAnIssueRetriedWithTheSameIdempotencyKey_ThenOnePrescriptionIsIssued_AndTheRetryFinishesItsHealthRecordStep()
    {
        var id = PrescriptionService.IdFor(TelemedicineRig.Doctor, "rx-key-1");

        var first = await Prescribing.IssueAsync(TelemedicineRig.Doctor, Consultation, Input(), default, id);
        var retried = await Prescribing.IssueAsync(TelemedicineRig.Doctor, Consultation, Input(), default, id);
        var unkeyed = await Prescribing.IssueAsync(TelemedicineRig.Doctor, Consultation, Input(), default);

        Assert.Equal((id, first.SignedBundle), (retried.Id, retried.SignedBundle));
        Assert.NotEqual(id, unkeyed.Id);
        Assert.Equal([id, id, unkeyed.Id], records.Added.Select(r => r.CareContextReference[3..]));
        Assert.NotEqual(id, PrescriptionService.IdFor("other-doctor", "rx-key-1"));
        Assert.Throws<Ndhm.Core.Errors.DomainException>(() => PrescriptionService.IdFor(TelemedicineRig.Doctor, "no spaces"));
    }

    [Fact]
    public async Task GivenADispatchedOrder_WhenDeliveredAndTheEventIsRedelivered_ThenTheSameDispenseRecordIsHandedOver_FiledUnderThePharmacy()
    {
        var order = await DispatchedOrderAsync();
        var delivered = new OrderEventMessage(order.Id, "ev-delivered", "DELIVERED", "pharmacy", Now.AddHours(2), null);

        var result = await Processor.ProcessAsync(delivered, default);
        await Processor.ProcessAsync(delivered, default);

        Assert.Equal(OrderStatus.Delivered, result.Status);
        var added = records.Added.ToList();
        Assert.Equal(2, added.Count);
        Assert.Equal(added[0] with { BundleJson = "" }, added[1] with { BundleJson = "" });
        Assert.Equal(added[0].BundleJson, added[1].BundleJson);
        Assert.Equal((TelemedicineRig.Patient, Pharmacy, "DISP-" + order.Id, "Prescription", false, Now.AddHours(2), "system:pharmacy-orders"),
            (added[0].PatientNumber, added[0].FacilityId, added[0].CareContextReference, added[0].HiType, added[0].LinkAsCareContext, added[0].RecordDate,
                added[0].Author));
        var bundle = JsonDocument.Parse(added[0].BundleJson).RootElement;
        Assert.Equal(("Bundle", "collection"), (bundle.GetProperty("resourceType").GetString(), bundle.GetProperty("type").GetString()));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(result.Dispenses[0]),
            System.Text.Json.Nodes.JsonNode.Parse(bundle.GetProperty("entry")[0].GetProperty("resource").GetRawText())));
    }

    [Fact]
    public async Task GivenAnOrderStepBeforeDelivery_WhenProcessed_ThenNothingGoesToThePatientsRecord()
    {
        var order = await DispatchedOrderAsync();

        await Processor.ProcessAsync(new OrderEventMessage(order.Id, "ev-cancel", "CANCELLED", "patient", Now, null), default);

        Assert.Empty(records.Added);
    }

    private async Task<Order> DispatchedOrderAsync()
    {
        var prescription = await Prescribing.IssueAsync(TelemedicineRig.Doctor, Consultation, Input(), default);
        var item = prescription.Items[0];
        var order = new Order("ord-1", "share-1", prescription.Id, prescription.PatientNumber, Pharmacy, "rx-partner",
            [new OrderLine(1, item.DrugCode, item.DrugCode, item.DrugName, false, item.Quantity, 1.5m, item.Schedule)], OrderStatus.Dispatched, Now, Now, [], null, []);
        await orders.TryCreateAsync(order, default);
        var ledger = (await ledgers.FindAsync(prescription.Id, default))!;
        await ledgers.TryReplaceAsync(ledger.Value.Reserve(order.Id, Pharmacy, [(1, item.Quantity)])!, ledger.ETag, default);
        records.Added.Clear(); // the prescription's own record
        return order;
    }

    private sealed class Facts : IConsultationFacts
    {
        public Task<ConsultationFacts?> FindAsync(string consultationId, CancellationToken ct) =>
            Task.FromResult<ConsultationFacts?>(consultationId == Consultation
                ? new ConsultationFacts(Consultation, TelemedicineRig.Doctor, TelemedicineRig.Patient, ConsultationMode.Video, false, "J02",
                    TelemedicineRig.Facility, ConsultationStatus.InProgress, Now.AddMinutes(-5), null)
                : null);
    }

    private sealed class InMemoryPrescriptions : IPrescriptionStore
    {
        private readonly ConcurrentDictionary<string, Prescription> all = new();

        public Task CreateAsync(Prescription prescription, CancellationToken ct) => Task.FromResult(all.TryAdd(prescription.Id, prescription));

        public Task<Prescription?> FindAsync(string prescriptionId, CancellationToken ct) => Task.FromResult(all.GetValueOrDefault(prescriptionId));
    }

    private sealed class InMemoryLedgers : IDispensingLedgerStore
    {
        private readonly ConcurrentDictionary<string, Versioned<DispensingLedger>> all = new();

        public Task CreateAsync(DispensingLedger ledger, CancellationToken ct) =>
            Task.FromResult(all.TryAdd(ledger.PrescriptionId, new Versioned<DispensingLedger>(ledger, Guid.NewGuid().ToString())));

        public Task<Versioned<DispensingLedger>?> FindAsync(string prescriptionId, CancellationToken ct) => Task.FromResult(all.GetValueOrDefault(prescriptionId));

        public Task<string?> TryReplaceAsync(DispensingLedger ledger, string ifMatch, CancellationToken ct)
        {
            var etag = Guid.NewGuid().ToString();
            return Task.FromResult(all.TryGetValue(ledger.PrescriptionId, out var current) && current.ETag == ifMatch
                                   && all.TryUpdate(ledger.PrescriptionId, new Versioned<DispensingLedger>(ledger, etag), current)
                ? etag
                : null);
        }
    }

    private sealed class InMemoryOrders : IOrderStore
    {
        private readonly ConcurrentDictionary<string, Versioned<Order>> all = new();

        public Task<bool> TryCreateAsync(Order order, CancellationToken ct) =>
            Task.FromResult(all.TryAdd(order.Id, new Versioned<Order>(order, Guid.NewGuid().ToString())));

        public Task<Versioned<Order>?> FindAsync(string orderId, CancellationToken ct) => Task.FromResult(all.GetValueOrDefault(orderId));

        public Task<string?> TryReplaceAsync(Order order, string ifMatch, CancellationToken ct)
        {
            var etag = Guid.NewGuid().ToString();
            return Task.FromResult(all.TryGetValue(order.Id, out var current) && current.ETag == ifMatch
                                   && all.TryUpdate(order.Id, new Versioned<Order>(order, etag), current)
                ? etag
                : null);
        }
    }

    private sealed class NoRegister : IDispensingRegister
    {
        public Task RecordAsync(DispensingRegisterEntry entry, CancellationToken ct) => Task.CompletedTask;

        public Task<IReadOnlyList<DispensingRegisterEntry>> ListAsync(DateTimeOffset from, DateTimeOffset to, int take, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<DispensingRegisterEntry>>([]);
    }

    private sealed class NoNotifier : IPharmacyNotifier
    {
        public Task SharedAsync(string partnerId, string shareId, string pharmacyId, CancellationToken ct) => Task.CompletedTask;

        public Task OrderChangedAsync(Order order, OrderEventRecord change, CancellationToken ct) => Task.CompletedTask;
    }
}
