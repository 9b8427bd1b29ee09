using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ndhm.Core.Errors;
using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

/// <summary>
/// Random concurrent bookings over a few slots, through the ETag'd in-memory store (compare-and-swap like Cosmos
/// If-Match): no slot is ever held by two live appointments, every refused init is a 409 SLOT_TAKEN naming its slot,
/// and the slot's hold always names the one live appointment.
/// </summary>
public sealed class SlotBookingProperties
{
    public enum Op
    {
        Init,
        InitAndConfirm,
        CancelOwn,
        Withdraw,
    }

    /// <param name="attempts">(slot, patient) pairs, all run at once.</param>
    [Property(MaxTest = 60)]
    public bool GivenPatientsRacingForSlots_ThenEachSlotGetsExactlyOneBookingAndEveryOtherAttemptA409NamingIt(NonEmptyArray<(byte Slot, byte Patient)> attempts)
    {
        var rig = new TelemedicineRig();
        var slots = rig.PublishAsync(3).GetAwaiter().GetResult();
        var tries = attempts.Get.Take(24).Select(a => (Slot: slots[a.Slot % slots.Count].Id, Patient: Patient(a.Patient))).ToList();
        var refused = new ConcurrentBag<(string SlotId, DomainException Error)>();
        var booked = new ConcurrentBag<Appointment>();

        Task.WaitAll(tries.Select(t => Task.Run(async () =>
        {
            try
            {
                booked.Add(await rig.Booking.InitAsync(t.Patient, new InitInput(t.Slot, "video"), CancellationToken.None));
            }
            catch (DomainException e)
            {
                refused.Add((t.Slot, e));
            }
        })).ToArray());

        var attemptedSlots = tries.Select(t => t.Slot).Distinct().ToList();
        return booked.Count == attemptedSlots.Count
               && booked.Select(b => b.SlotId).Distinct().Count() == booked.Count
               && refused.Count == tries.Count - booked.Count
               && refused.All(r => r.Error.Code == TelemedicineErrors.SlotTaken && Equals(r.Error.Extensions["slotId"], r.SlotId))
               && rig.Slots.HoldsWritten.Count == booked.Count
               && booked.All(b => rig.Slots.Get(b.SlotId).Hold!.AppointmentId == b.Id);
    }

    [Property(MaxTest = 40)]
    public bool GivenRandomConcurrentBookingsCancellationsAndWithdrawals_ThenNoSlotIsEverHeldTwice(NonEmptyArray<(Op Op, byte Slot, byte Patient)> ops)
    {
        var rig = new TelemedicineRig();
        var slots = rig.PublishAsync(2).GetAwaiter().GetResult();
        var work = ops.Get.Take(20).Select(o => (o.Op, Slot: slots[o.Slot % slots.Count].Id, Patient: Patient(o.Patient))).ToList();

        Task.WaitAll(work.Select(w => Task.Run(async () =>
        {
            try
            {
                switch (w.Op)
                {
                    case Op.Init:
                        await rig.Booking.InitAsync(w.Patient, new InitInput(w.Slot, "video"), CancellationToken.None);
                        break;
                    case Op.InitAndConfirm:
                        var held = await rig.Booking.InitAsync(w.Patient, new InitInput(w.Slot, "video"), CancellationToken.None);
                        await rig.Booking.ConfirmAsync(w.Patient, new ConfirmInput(held.Id, "pay-1", true), CancellationToken.None);
                        break;
                    case Op.CancelOwn:
                        var mine = rig.Appointments.All.FirstOrDefault(a => a.PatientNumber == w.Patient && a.SlotId == w.Slot && !a.IsFinal);
                        if (mine is not null) await rig.Booking.CancelAsync(w.Patient, new CancelInput(mine.Id, null), CancellationToken.None);
                        break;
                    case Op.Withdraw:
                        await rig.Availability.WithdrawAsync(TelemedicineRig.Doctor, w.Slot, CancellationToken.None);
                        break;
                }
            }
            catch (DomainException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.PreconditionFailed)
            {
                // refused: the slot was taken, withdrawn or booked, or the appointment moved on meanwhile
            }
        })).ToArray());

        var now = rig.Time.GetUtcNow();
        return slots.All(s =>
        {
            var live = rig.Appointments.All
                .Where(a => a.SlotId == s.Id && (a.Status == AppointmentStatus.Confirmed || (a.Status == AppointmentStatus.Initiated && a.HoldExpiresAt > now)))
                .ToList();
            var slot = rig.Slots.Get(s.Id);
            // A live appointment is one the slot's hold names; at most one; and a withdrawn slot holds none.
            return live.Count <= 1
                   && live.All(a => slot.Hold?.AppointmentId == a.Id)
                   && (!slot.Withdrawn || live.Count == 0);
        });
    }

    private static string Patient(byte index) => "9112345678" + (1000 + index % 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
