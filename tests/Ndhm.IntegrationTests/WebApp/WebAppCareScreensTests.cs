using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.SamplePartners;
using Ndhm.IntegrationTests.Support;
using Ndhm.IntegrationTests.Telemedicine;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// The web app's care screens in chromium against the sample partners: linking a hospital's care contexts with the
/// hospital's OTP, booking, joining and cancelling a teleconsultation, and sharing a prescription with a pharmacy,
/// ordering from its quote and following the order to delivery. Everything the screens show is seeded through the
/// platform's real APIs (a doctor publishing slots, a prescription issued) and the sample partners' own behaviour.
/// Each screen is checked with axe-core and photographed at 360 and 1280 px (.test-artifacts/webapp).
/// </summary>
public sealed class WebAppCareScreensTests(WebAppPartnersFixture fixture, ITestOutputHelper output) : IClassFixture<WebAppPartnersFixture>
{
    /// <summary>Ravi Shankar Kumar, the second sandbox KYC identity: the sample hospital has him as HOSP-MRN-1002 (DemoPatients.cs).</summary>
    private static readonly TestIdentity Ravi = new("999900000028", "9000000002", "Ravi Shankar", "Kumar");

    private sealed record Session(IBrowserContext Context, IPage Page, BrowserChecks Checks, string Token, string Number) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Context.DisposeAsync();
    }

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_601")]
    public async Task GivenTheSampleHospital_WhenThePatientFindsAndLinksTheirVisitInTheBrowser_ThenTheFacilitiesScreenListsTheLinkedCareContext()
    {
        var hipId = (await fixture.Partners.PartnerAsync("hospital")).GetProperty("facilityId").GetString()!;
        await using var session = await SignedInAsync(Ravi);
        var (page, checks) = (session.Page, session.Checks);

        await page.GetByRole(AriaRole.Link, new() { Name = "Facilities" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Linked facilities" })).ToBeVisibleAsync();
        await Expect(page.GetByText("No facility is linked yet.")).ToBeVisibleAsync();
        // She finds the hospital by part of its name (the patient's registry search: verified facilities only).
        await page.GetByLabel("Search by name or pincode").FillAsync("city hosp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await page.Locator($"li.facility-result[data-facility='{hipId}']").GetByRole(AriaRole.Button, new() { Name = "Choose Sample City Hospital" }).ClickAsync();
        await Expect(page.GetByLabel("Facility ID (HIP ID)")).ToHaveValueAsync(hipId);
        await checks.ScreenAsync("facilities-search");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find my records" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Records found at {hipId}" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByLabel("OPD consultation, Orthopaedics, 3 Nov 2025")).ToBeCheckedAsync();
        await checks.ScreenAsync("facilities-found");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link selected" }).ClickAsync();
        await Expect(page.GetByLabel("OTP from the facility")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("The facility sent a one-time password to ******0002.")).ToBeVisibleAsync();
        var sms = (await fixture.Partners.GetAsync($"hospital/sms?mobile={Ravi.Mobile}")).GetProperty("messages").EnumerateArray().Last();
        await page.GetByLabel("OTP from the facility").FillAsync(sms.GetProperty("otp").GetString()!);
        await checks.ScreenAsync("facilities-otp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and link" }).ClickAsync();

        await Expect(page.GetByText($"Linked 1 record(s) at {hipId}.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var linked = page.Locator($"article.linked-hip[data-hip='{hipId}']");
        await Expect(linked).ToContainTextAsync("OP-2025-1103");
        await Expect(linked).ToContainTextAsync("Registered as Ravi Shankar Kumar (HOSP-MRN-1002)");
        var links = await PatientJsonAsync(session.Token, "v1/patients/me/links");
        Assert.Contains(links.GetProperty("hips").EnumerateArray(), h => h.GetProperty("hipId").GetString() == hipId
            && h.GetProperty("careContexts").EnumerateArray().Any(c => c.GetProperty("referenceNumber").GetString() == "OP-2025-1103"));
        await BothWidthsAsync(session, "facilities", "Linked facilities");

        // In Hindi: the screen's texts from hi.json, the linked date in hi-IN.
        await page.GetByLabel("Language").SelectOptionAsync("hi");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "जुड़ी हुई सुविधाएँ" })).ToBeVisibleAsync();
        await Expect(page.Locator($"article.linked-hip[data-hip='{hipId}']")).ToContainTextAsync("को जोड़ा गया");
        await checks.ScreenAsync("facilities-hi");
        checks.AssertNoProblems();
    }

    [Fact]
    public async Task GivenADoctorsPublishedSlots_WhenThePatientSearchesBooksJoinsAndCancelsInTheBrowser_ThenTheAppointmentFollowsEachStep()
    {
        var doctor = await TelemedicineHostFixture.DoctorAsync(fixture.Host, "Anita Sharma");
        var slots = await TelemedicineHostFixture.PublishAsync(fixture.Client, doctor, count: 2, hoursAhead: 20, fee: 500m);
        await using var session = await SignedInAsync(fixture.NextIdentity());
        var (page, checks) = (session.Page, session.Checks);
        var offer = await PatientJsonAsync(session.Token, "v1/telemedicine/select", new { slotId = slots[0] });
        var start = offer.GetProperty("offer").GetProperty("start").GetDateTimeOffset();
        var istDate = start.ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await page.GetByRole(AriaRole.Link, new() { Name = "See a doctor" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Teleconsultation", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("No appointments yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Specialty").SelectOptionAsync("General Medicine");
        await page.GetByLabel("Doctor's language").SelectOptionAsync("Telugu");
        await page.GetByLabel("Date").FillAsync(istDate);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search slots" }).ClickAsync();
        var card = page.Locator($"article.offer[data-slot='{slots[0]}']");
        await Expect(card).ToContainTextAsync("Anita Sharma");
        await Expect(card).ToContainTextAsync("₹500");
        await checks.ScreenAsync("doctor-search");
        await card.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Book ") }).ClickAsync();
        await card.GetByLabel("Payment reference (UPI transaction ID)").FillAsync("upi-web-" + Guid.NewGuid().ToString("N")[..8]);
        await card.GetByLabel("I agree to be consulted remotely").CheckAsync();
        await checks.ScreenAsync("doctor-book");
        await card.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();

        await Expect(page.GetByText("Booked with Dr. Anita Sharma")).ToBeVisibleAsync();
        var appointment = page.Locator("article.appointment[data-status='CONFIRMED']");
        await Expect(appointment).ToHaveCountAsync(1);
        await Expect(appointment).ToContainTextAsync("Confirmed");
        await appointment.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(appointment.GetByRole(AriaRole.Button, new() { Name = "Start call" })).ToBeVisibleAsync();
        await Expect(appointment).ToContainTextAsync("You can start the video call now");
        var id = await appointment.GetAttributeAsync("data-id");
        await checks.ScreenAsync("doctor-join");
        var mine = await PatientJsonAsync(session.Token, "v1/patients/me/teleconsultations");
        Assert.Equal("CONFIRMED", mine.GetProperty("appointments").EnumerateArray().Single(a => a.GetProperty("appointmentId").GetString() == id).GetProperty("status").GetString());

        await appointment.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" }).ClickAsync();
        await Expect(page.GetByText("Appointment cancelled.")).ToBeVisibleAsync();
        await Expect(page.Locator($"article.appointment[data-id='{id}'][data-status='CANCELLED']")).ToBeVisibleAsync();
        mine = await PatientJsonAsync(session.Token, "v1/patients/me/teleconsultations");
        Assert.Equal("CANCELLED", mine.GetProperty("appointments").EnumerateArray().Single(a => a.GetProperty("appointmentId").GetString() == id).GetProperty("status").GetString());
        await BothWidthsAsync(session, "doctor", "Teleconsultation");
        checks.AssertNoProblems();
    }

    [Fact]
    public async Task GivenABookedVideoConsultation_WhenThePatientStartsTheCallAndTheDoctorJoinsWithTheirJoinToken_ThenBothConnectAndEachSeesTheOthersVideo()
    {
        var doctor = await TelemedicineHostFixture.DoctorAsync(fixture.Host, "Farhan Ali");
        var slot = (await TelemedicineHostFixture.PublishAsync(fixture.Client, doctor, count: 1, hoursAhead: 20, fee: 400m))[0];
        await using var session = await SignedInAsync(fixture.NextIdentity());
        var (page, checks) = (session.Page, session.Checks);
        var held = await PatientJsonAsync(session.Token, "v1/telemedicine/init", new { slotId = slot, mode = "video" });
        var id = held.GetProperty("appointmentId").GetString()!;
        await PatientJsonAsync(session.Token, "v1/telemedicine/confirm", new { appointmentId = id, paymentReference = "upi-call-" + id[..8], teleconsultationConsent = true });

        // The patient joins and starts the call first: her offer waits on the platform for the doctor.
        await page.GetByRole(AriaRole.Link, new() { Name = "See a doctor" }).ClickAsync();
        var appointment = page.Locator($"article.appointment[data-id='{id}']");
        await appointment.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await appointment.GetByRole(AriaRole.Button, new() { Name = "Start call" }).ClickAsync();
        var call = appointment.Locator("section.call");
        await Expect(call).ToHaveAttributeAsync("data-connection", "new");
        await Expect(call.GetByRole(AriaRole.Status)).ToContainTextAsync("Waiting for Dr. Farhan Ali to join");

        // The doctor's side: the same call module in a second browser, with the doctor's own join token.
        using var joined = await HealthIdApi.SendAsync(fixture.Client, HttpMethod.Post, $"v1/telemedicine/consultations/{id}/join-token", doctor.Token, new { });
        var pass = JsonDocument.Parse(await joined.Content.ReadAsStringAsync()).RootElement;
        Assert.True(joined.IsSuccessStatusCode, pass.ToString());
        Assert.Empty(pass.GetProperty("iceServers").EnumerateArray()); // none configured: host candidates only
        await using var doctorContext = await fixture.NewContextAsync(1280);
        var doctorPage = await doctorContext.NewPageAsync();
        var doctorChecks = new BrowserChecks(doctorPage, fixture.AxeScript, output);
        doctorChecks.Watch();
        await doctorPage.GotoAsync("/api/app");
        await Expect(doctorPage.GetByLabel("ABHA address or ABHA number")).ToBeVisibleAsync();
        await doctorPage.EvaluateAsync("""
            async ([id, token, expiresAt]) => {
              const { startCall } = await import(`${document.documentElement.dataset.assets}/screens/call.js`);
              const box = document.createElement('div');
              document.querySelector('main').replaceChildren(box);
              await startCall(box, { consultationId: id, mode: 'video', caller: false, peerName: 'the patient',
                joinToken: async () => ({ token, expiresAt, iceServers: [] }) });
            }
            """, new[] { id, pass.GetProperty("token").GetString()!, pass.GetProperty("expiresAt").GetString()! });

        var connected = new LocatorAssertionsToHaveAttributeOptions { Timeout = 60_000 };
        await Expect(call).ToHaveAttributeAsync("data-connection", "connected", connected);
        await Expect(doctorPage.Locator("section.call")).ToHaveAttributeAsync("data-connection", "connected", connected);
        // Frames arrive both ways: the fake camera's test pattern is decoded on the other side.
        await page.WaitForFunctionAsync("() => document.querySelector('section.call video.remote')?.videoWidth > 0", null, new() { Timeout = 30_000 });
        await doctorPage.WaitForFunctionAsync("() => document.querySelector('section.call video.remote')?.videoWidth > 0", null, new() { Timeout = 30_000 });
        Assert.Equal("connected", await page.EvaluateAsync<string>("() => document.querySelector('section.call').dataset.connection"));
        await Expect(call.GetByRole(AriaRole.Status)).ToContainTextAsync("Connected with Dr. Farhan Ali");
        await checks.ScreenAsync("call");
        await page.SetViewportSizeAsync(1280, 900);
        await checks.ScreenAsync("call");
        await doctorChecks.ScreenAsync("call-doctor");

        // Mute and camera toggles say their state; hang up from the keyboard, and the doctor's side hears of it.
        var mute = call.GetByRole(AriaRole.Button, new() { Name = "Mute" });
        await mute.ClickAsync();
        await Expect(call.GetByRole(AriaRole.Button, new() { Name = "Unmute" })).ToHaveAttributeAsync("aria-pressed", "true");
        await call.GetByRole(AriaRole.Button, new() { Name = "Turn camera off" }).ClickAsync();
        await Expect(call.GetByRole(AriaRole.Button, new() { Name = "Turn camera on" })).ToHaveAttributeAsync("aria-pressed", "true");
        var enabled = await page.EvaluateAsync<bool[]>(
            "() => { const s = document.querySelector('section.call video.local').srcObject; return [s.getAudioTracks()[0].enabled, s.getVideoTracks()[0].enabled]; }");
        Assert.Equal(new[] { false, false }, enabled);
        await call.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(call).ToHaveAttributeAsync("data-connection", "closed");
        await Expect(call.GetByRole(AriaRole.Status)).ToHaveTextAsync("Call ended.");
        await Expect(doctorPage.Locator("section.call [role=status]")).ToContainTextAsync("the patient left the call", new() { Timeout = 30_000 });
        checks.AssertNoProblems();
        doctorChecks.AssertNoProblems();
    }

    [Fact]
    public async Task GivenAnIssuedPrescription_WhenThePatientSharesItWithThePharmacyAndOrdersItsQuoteInTheBrowser_ThenTheOrderIsFollowedToDelivery()
    {
        var pharmacy = await fixture.Partners.PartnerAsync("pharmacy");
        var pharmacyId = pharmacy.GetProperty("facilityId").GetString()!;
        await using var session = await SignedInAsync(fixture.NextIdentity());
        var (page, checks) = (session.Page, session.Checks);
        var prescriptionId = await PrescriptionAsync(session.Number);

        await page.GetByRole(AriaRole.Link, new() { Name = "Medicines" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Medicines", Exact = true })).ToBeVisibleAsync();
        var prescription = page.Locator($"form.prescription[data-id='{prescriptionId}']");
        await Expect(prescription).ToContainTextAsync("Prescribed by Dr. Meera Iyer");
        await Expect(prescription.Locator("table.rx-items tbody tr")).ToHaveCountAsync(1);
        await prescription.GetByLabel("Search by name or pincode").FillAsync("care pharm");
        await prescription.GetByLabel("Search by name or pincode").PressAsync("Enter");
        await prescription.Locator($"li.facility-result[data-facility='{pharmacyId}']").GetByRole(AriaRole.Button, new() { Name = "Choose Sample Care Pharmacy" }).ClickAsync();
        await Expect(prescription.GetByLabel("Pharmacy ID")).ToHaveValueAsync(pharmacyId);
        await checks.ScreenAsync("medicines");
        await prescription.GetByRole(AriaRole.Button, new() { Name = "Share prescription" }).ClickAsync();
        await Expect(page.GetByText("Prescription shared.")).ToBeVisibleAsync();

        // The sample pharmacy reads the share and quotes; the card re-reads itself until the quote is there.
        var order = page.Locator("li.quote").GetByRole(AriaRole.Button, new() { Name = "Order from Sample Care Pharmacy" });
        await Expect(order).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("li.quote")).ToContainTextAsync("Total ₹");
        await checks.ScreenAsync("medicines-quote");
        await order.ClickAsync();
        await Expect(page.GetByText("Ordered from Sample Care Pharmacy.")).ToBeVisibleAsync();
        await Expect(page.Locator("article.order .order-status")).ToBeVisibleAsync();
        await checks.ScreenAsync("medicines-order");

        // The pharmacy moves the order one step per notification; the card follows it to delivery.
        var delivered = page.Locator("article.order[data-status='DELIVERED']");
        await Expect(delivered).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(delivered.Locator("ol.steps li.done")).ToHaveCountAsync(5);
        var orderId = await delivered.GetAttributeAsync("data-order");
        var stored = await PatientJsonAsync(session.Token, $"v1/patients/me/pharmacy-orders/{orderId}");
        Assert.Equal(("DELIVERED", prescriptionId, pharmacyId),
            (stored.GetProperty("status").GetString(), stored.GetProperty("prescriptionId").GetString(), stored.GetProperty("pharmacyId").GetString()));
        await checks.ScreenAsync("medicines-delivered");
        await BothWidthsAsync(session, "medicines", "Medicines");
        checks.AssertNoProblems();
    }

    [Fact]
    public async Task GivenTheClinicHoldsAStreamConsent_WhenItSubscribesAndThePatientApprovesOnlyNewVisitsThenRevokesInTheBrowser_ThenTheClinicHearsOfTheNextVisitOnly()
    {
        var partners = fixture.Partners;
        var hipId = (await partners.PartnerAsync("hospital")).GetProperty("facilityId").GetString()!;
        await using var session = await SignedInAsync(fixture.NextIdentity());
        var (page, checks) = (session.Page, session.Checks);
        var hospital = new SampleHospitalPatients(fixture);
        var profile = await PatientJsonAsync(session.Token, "v3/profile/account");
        var (address, mobile) = (profile.GetProperty("preferredAbhaAddress").GetString()!, profile.GetProperty("mobile").GetString()!);
        var mrn = await hospital.RegisterAsync(session.Token, "OP-SUB-1", "OP-SUB-2");
        await hospital.LinkAsync(session.Token, hipId, mobile, "OP-SUB-1");

        // The clinic's doctor asks for a STREAM consent and the patient grants it; only then may the clinic subscribe.
        var consent = await partners.PostAsync("clinic/consent-requests", new { patient = address, hip = "hospital", accessMode = "STREAM" }, HttpStatusCode.Accepted);
        var consentRequestId = (await partners.UntilAsync($"clinic/consent-requests/{consent.GetProperty("requestId").GetString()}",
            r => r.GetProperty("status").GetString() == "REQUESTED")).GetProperty("consentRequestId").GetString()!;
        await PatientJsonAsync(session.Token, $"v1/patients/me/consent-requests/{consentRequestId}/grant",
            new { hips = new[] { new { id = hipId, careContexts = new[] { new { patientReference = mrn, careContextReference = "OP-SUB-1" } } } } });
        var asked = await partners.PostAsync("clinic/subscription-requests", new { patient = address, hips = new[] { "hospital" } }, HttpStatusCode.Accepted);
        var requestId = asked.GetProperty("requestId").GetString()!;
        var subscriptionRequestId = (await partners.UntilAsync($"clinic/subscription-requests/{requestId}",
            r => r.GetProperty("status").GetString() != "SENT")).GetProperty("subscriptionRequestId").GetString()!;

        // The patient approves new visits only (not new records in linked visits).
        await page.GetByRole(AriaRole.Link, new() { Name = "Consents" }).ClickAsync();
        var request = page.Locator($"form.subscription-request[data-id='{subscriptionRequestId}']");
        await Expect(request).ToContainTextAsync(hipId);
        await checks.ScreenAsync("subscriptions-pending");
        await request.GetByLabel("New records in linked visits").UncheckAsync();
        await request.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(page.GetByText("Subscription approved.")).ToBeVisibleAsync();
        var subscription = page.Locator("article.subscription");
        await Expect(subscription).ToHaveCountAsync(1);
        await Expect(subscription).ToContainTextAsync("New visits linked to your ABHA");
        await Expect(subscription).Not.ToContainTextAsync("New records in linked visits");
        await checks.ScreenAsync("subscriptions-active");

        // The clinic is told (and acknowledges); the next visit she links reaches it as a LINK event.
        var granted = await partners.UntilAsync($"clinic/subscription-requests/{requestId}",
            r => r.GetProperty("status").GetString() == "GRANTED" && r.GetProperty("subscriptionId").ValueKind == JsonValueKind.String);
        var subscriptionId = granted.GetProperty("subscriptionId").GetString()!;
        Assert.Equal(subscriptionId, await subscription.GetAttributeAsync("data-id"));
        await hospital.LinkAsync(session.Token, hipId, mobile, "OP-SUB-2");
        var heard = await partners.UntilAsync($"clinic/subscription-requests/{requestId}", r => r.GetProperty("events").GetArrayLength() > 0);
        var @event = Assert.Single(heard.GetProperty("events").EnumerateArray());
        Assert.Equal(("LINK", hipId, "OP-SUB-2"), (@event.GetProperty("category").GetString(),
            @event.GetProperty("content").GetProperty("hip").GetProperty("id").GetString(),
            @event.GetProperty("content").GetProperty("context")[0].GetProperty("careContext").GetProperty("careContextReference").GetString()));

        // She revokes it; the screen and her API agree.
        await subscription.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByText("Subscription revoked.")).ToBeVisibleAsync();
        await Expect(page.Locator("article.subscription")).ToHaveCountAsync(0);
        var revoked = await PatientJsonAsync(session.Token, "v1/patients/me/subscription-requests?status=REVOKED");
        Assert.Contains(revoked.GetProperty("subscriptionRequests").EnumerateArray(), r => r.GetProperty("subscriptionId").GetString() == subscriptionId);
        await BothWidthsAsync(session, "consents", "Consents");
        checks.AssertNoProblems();
    }

    /// <summary>Enrols <paramref name="identity"/> with an ABHA address over the API, then signs in with it in a fresh browser at 360 px.</summary>
    private async Task<Session> SignedInAsync(TestIdentity identity)
    {
        var enrolled = await HealthIdApi.EnrolAsync(fixture.Client, identity);
        var token = HealthIdApi.Token(enrolled);
        var handle = "care" + Guid.NewGuid().ToString("N")[..10];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(fixture.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, token));
        var context = await fixture.NewContextAsync(360);
        var page = await context.NewPageAsync();
        var checks = new BrowserChecks(page, fixture.AxeScript, output);
        checks.Watch();
        await page.GotoAsync("/api/app");
        await page.GetByLabel("ABHA address or ABHA number").FillAsync(handle + "@sbx");
        // The login OTP goes to the account's mobile as the platform holds it (a shared sandbox identity's account may
        // have been enrolled or changed by another test of the run), not necessarily the KYC record's.
        var mobile = (await HealthIdApi.OkJsonAsync(await HealthIdApi.SendAsync(fixture.Client, HttpMethod.Get, "v3/profile/account", token)))
            .GetProperty("mobile").GetString() ?? identity.Mobile;
        var sent = await BrowserChecks.OtpTransactionsAsync(fixture.Client, mobile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send OTP" }).ClickAsync();
        await Expect(page.GetByLabel("OTP (6 digits)")).ToBeVisibleAsync();
        string otp;
        try
        {
            otp = await BrowserChecks.NewOtpAsync(fixture.Client, mobile, sent);
        }
        catch (TimeoutException e)
        {
            // Say what the page said (a refusal shows there), so a failure here names its cause.
            throw new TimeoutException($"{e.Message}; the page says: {await page.Locator("main").InnerTextAsync()}", e);
        }

        await page.GetByLabel("OTP (6 digits)").FillAsync(otp);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My health records" })).ToBeVisibleAsync();
        return new Session(context, page, checks, token, HealthIdApi.Number(enrolled).Replace("-", "", StringComparison.Ordinal));
    }

    /// <summary>The screen again from a fresh load, at 360 and at 1280 px: axe and a screenshot each.</summary>
    private static async Task BothWidthsAsync(Session session, string screen, string heading)
    {
        foreach (var width in new[] { 360, 1280 })
        {
            await session.Page.SetViewportSizeAsync(width, width < 600 ? 780 : 900);
            await session.Page.GotoAsync($"/api/app#/{screen}");
            await session.Page.ReloadAsync();
            await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            await session.Checks.ScreenAsync(screen);
        }
    }

    /// <summary>A doctor (verified, at a verified facility) prescribes for a seeded in-progress consultation with the patient.</summary>
    private async Task<string> PrescriptionAsync(string patientNumber)
    {
        var doctor = await TelemedicineHostFixture.DoctorAsync(fixture.Host, "Meera Iyer");
        var consultation = Guid.NewGuid().ToString();
        using (var seeded = await fixture.Client.PostAsJsonAsync("api/sandbox/consultation-facts", new
        {
            consultationId = consultation, doctorHprId = doctor.HprId, patientAbhaNumber = patientNumber, mode = "VIDEO", isFollowUp = false,
            conditionCode = "J02", facilityId = doctor.Facility, status = "IN_PROGRESS",
        }))
        {
            Assert.True(seeded.IsSuccessStatusCode, await seeded.Content.ReadAsStringAsync());
        }

        var healthWorker = await SandboxHostFixture.TokenForAsync(fixture.Client, doctor.HprId, "HEALTH_WORKER");
        using var request = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/consultations/{consultation}/prescriptions", healthWorker, new
        {
            conditionCode = "J02",
            items = new[] { new { drugCode = "SAMPLE-PCM-500-TAB", dosage = "1 tablet", frequencyPerDay = 3, durationDays = 3, quantity = 9, substitutionAllowed = false } },
        });
        using var issued = await fixture.Client.SendAsync(request);
        var body = await issued.Content.ReadAsStringAsync();
        Assert.True(issued.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> PatientJsonAsync(string token, string path, object? body = null)
    {
        using var response = await HealthIdApi.SendAsync(fixture.Client, body is null ? HttpMethod.Get : HttpMethod.Post, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
