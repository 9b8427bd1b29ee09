namespace Ndhm.Telemedicine;

public enum RefundCause
{
    DoctorCancelled,
    DoctorNoShow,
    PatientCancelled,
    PatientNoShow,
}

/// <summary>
/// Who gets what back when a confirmed consultation does not happen. Rules (refund as a share of the fee paid):
/// the doctor cancels or does not appear: 100 %; the patient cancels at least <c>FullRefundHoursBefore</c> before the
/// start: 100 %, later: <c>LateCancellationRefundPercent</c>; the patient does not appear: <c>PatientNoShowRefundPercent</c>.
/// Nothing was paid for an appointment that was only initiated, so nothing is refunded then (null).
/// </summary>
public static class CancellationPolicy
{
    public const string DoctorCancelled = "DOCTOR_CANCELLED";
    public const string DoctorNoShow = "DOCTOR_NO_SHOW";
    public const string PatientCancelledEarly = "PATIENT_CANCELLED_EARLY";
    public const string PatientCancelledLate = "PATIENT_CANCELLED_LATE";
    public const string PatientNoShow = "PATIENT_NO_SHOW";

    public static (long AmountPaise, string Rule)? Refund(Appointment appointment, RefundCause cause, TelemedicineOptions options, DateTimeOffset now)
    {
        if (appointment.Status is not (AppointmentStatus.Confirmed or AppointmentStatus.InProgress)) return null;
        var (percent, rule) = cause switch
        {
            RefundCause.DoctorCancelled => (100, DoctorCancelled),
            RefundCause.DoctorNoShow => (100, DoctorNoShow),
            RefundCause.PatientNoShow => (options.PatientNoShowRefundPercent, PatientNoShow),
            _ => appointment.Start - now >= TimeSpan.FromHours(options.FullRefundHoursBefore)
                ? (100, PatientCancelledEarly)
                : (options.LateCancellationRefundPercent, PatientCancelledLate),
        };
        return (appointment.FeePaise * Math.Clamp(percent, 0, 100) / 100, rule);
    }
}
