using System.Text;
using Ndhm.Core.Errors;

namespace Ndhm.Telemedicine;

/// <summary>What a participant sends to set up the call: a WebRTC SDP <c>offer</c> or <c>answer</c>, an ICE
/// <c>candidate</c> (its JSON as the browser gives it), or <c>bye</c> (hung up).</summary>
public sealed record SignalInput(string? Type, string? Payload);

/// <summary>
/// One relayed message. <paramref name="Sequence"/> numbers a consultation's signals from 1 without gaps (both
/// participants share the numbering, so a reader's cursor is one number); <paramref name="From"/> is DOCTOR or PATIENT.
/// </summary>
public sealed record Signal(string ConsultationId, long Sequence, string From, string Type, string Payload, DateTimeOffset At, DateTimeOffset ExpiresAt);

/// <summary>The other participant's signals after the reader's cursor, and the cursor to ask from next.</summary>
public sealed record SignalPage(IReadOnlyList<Signal> Signals, long Cursor);

/// <summary>
/// Call signalling for a consultation: the platform relays the participants' SDP offers and answers and ICE candidates;
/// the media goes peer to peer and never through the platform. Only a holder of the consultation's join token
/// (audience <c>consultation:&lt;id&gt;</c>, issued only to its doctor and patient) may post or read, each reads only the
/// other's signals, only while the consultation is open to joining (as for join tokens), within a size and count
/// bound, and every signal expires with the consultation. Not audited per message (an SDP carries no health data, and
/// the call's participants are audited when they get their join tokens).
/// </summary>
public sealed class ConsultationSignalling(
    IAppointmentStore appointments,
    IJoinTokens joinTokens,
    IConsultationSignals signals,
    TelemedicineOptions options,
    TimeProvider time)
{
    public const string InvalidSignal = "INVALID_SIGNAL";
    public const string SignalLimitReached = "SIGNAL_LIMIT_REACHED";

    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal) { "offer", "answer", "candidate", "bye" };

    /// <summary>Relays one signal to the other participant; the stored signal with its sequence number.</summary>
    public async Task<Signal> PostAsync(string? consultationId, string? joinToken, SignalInput input, CancellationToken ct)
    {
        var who = await ParticipantAsync(consultationId, joinToken, ct);
        var type = input.Type ?? throw Invalid("type is required: offer, answer, candidate or bye.", "type");
        if (!Types.Contains(type)) throw Invalid("type is one of offer, answer, candidate, bye.", "type");
        var payload = input.Payload ?? "";
        if (type != "bye" && payload.Length == 0) throw Invalid($"a {type} needs its payload.", "payload");
        if (Encoding.UTF8.GetByteCount(payload) > options.SignalMaxBytes)
            throw Invalid($"payload is at most {options.SignalMaxBytes} bytes (UTF-8).", "payload");

        var appointment = await OpenAsync(consultationId!, who, ct);
        var now = time.GetUtcNow();
        var signal = new Signal(appointment.Id, 0, who.Kind, type, payload, now, ExpiresAt(appointment, now));
        return await signals.AppendAsync(signal, options.MaxSignalsPerConsultation, ct)
               ?? throw new DomainException(ErrorKind.Conflict, SignalLimitReached, "Too many signals.",
                   $"A consultation relays at most {options.MaxSignalsPerConsultation} signals.",
                   new Dictionary<string, object?> { ["appointmentId"] = appointment.Id, ["limit"] = options.MaxSignalsPerConsultation });
    }

    /// <summary>The other participant's unexpired signals numbered after <paramref name="after"/>, oldest first, a page at a time.</summary>
    public async Task<SignalPage> ReadAsync(string? consultationId, string? joinToken, long after, CancellationToken ct)
    {
        var who = await ParticipantAsync(consultationId, joinToken, ct);
        if (after < 0) throw Invalid("after is a signal's sequence number (0 or more).", "after");
        var appointment = await OpenAsync(consultationId!, who, ct);
        var now = time.GetUtcNow();
        var page = await signals.ListAfterAsync(appointment.Id, after, options.SignalPageSize, ct);
        // The cursor moves past the reader's own signals too, so the next read starts after everything seen.
        var cursor = page.Count == 0 ? after : page[^1].Sequence;
        return new SignalPage(page.Where(s => s.From != who.Kind && s.ExpiresAt > now).ToList(), cursor);
    }

    /// <summary>Signals live until the consultation's end plus <c>SignalGraceMinutes</c> (a call that runs over keeps that much from now).</summary>
    public DateTimeOffset ExpiresAt(Appointment appointment, DateTimeOffset now) =>
        (appointment.End > now ? appointment.End : now).AddMinutes(options.SignalGraceMinutes);

    /// <summary>Who holds the join token: checked before anything else is read, so no body or id is judged for a caller without one.</summary>
    private async Task<Participant> ParticipantAsync(string? consultationId, string? joinToken, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(joinToken))
            throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.Unauthenticated, "Authentication is required.",
                "Send Authorization: Bearer <the consultation's join token>.");
        if (!Guid.TryParse(consultationId, out var id))
            throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.InvalidToken, "The token audience is not accepted.",
                "A join token opens only its own consultation.");
        return await joinTokens.VerifyAsync(joinToken, id.ToString(), ct);
    }

    /// <summary>The consultation, when the token's holder is its doctor or patient and it is open to joining now.</summary>
    private async Task<Appointment> OpenAsync(string consultationId, Participant who, CancellationToken ct)
    {
        if (await appointments.FindAsync(Guid.Parse(consultationId).ToString(), ct) is not { Value: var appointment }
            || (who.IsDoctor ? appointment.DoctorHprId : appointment.PatientNumber) != who.Subject)
            throw TelemedicineErrors.NotFound();
        if (!ConsultationService.IsOpenToJoin(appointment, time.GetUtcNow(), options))
            throw TelemedicineErrors.WrongState(appointment.Id, appointment.Status,
                "signals are relayed while the consultation is open to joining (confirmed, at its time, or in progress)");
        return appointment;
    }

    private static DomainException Invalid(string detail, string field) => TelemedicineErrors.Invalid(InvalidSignal, detail, field);
}

/// <summary>A STUN or TURN server for the participants' browsers (WebRTC's <c>RTCIceServer</c>).</summary>
public sealed record IceServer(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);

/// <summary>Reads <see cref="TelemedicineOptions.IceServers"/>; a setting that is not what WebRTC takes stops the call rather than being half-applied.</summary>
public static class IceServers
{
    public static IReadOnlyList<IceServer> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        List<IceServer>? servers;
        try
        {
            servers = System.Text.Json.JsonSerializer.Deserialize<List<IceServer>>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidOperationException("Telemedicine__IceServers is not a JSON array of {urls, username, credential}.", e);
        }

        foreach (var server in servers ?? [])
            if (server.Urls is not { Count: > 0 } || server.Urls.Any(u => !(u.StartsWith("stun:", StringComparison.Ordinal) || u.StartsWith("turn:", StringComparison.Ordinal)
                                                                              || u.StartsWith("turns:", StringComparison.Ordinal))))
                throw new InvalidOperationException("Telemedicine__IceServers: every server needs urls starting stun:, turn: or turns:.");
        return servers ?? [];
    }
}
