namespace Ndhm.Pharmacy.Catalogue;

/// <summary>Schedules of the Drugs and Cosmetics Rules, 1945 that matter to dispensing (OTC: no schedule).</summary>
public enum DrugSchedule
{
    Otc,
    G,
    H,
    H1,
    X,
}

/// <summary>The Telemedicine Practice Guidelines 2020 lists (Annexure: O, A, B, and the prohibited list).</summary>
public enum TpgList
{
    O,
    A,
    B,
    Prohibited,
}

/// <summary>
/// One catalogue entry, with its WHO ATC level-2 class (therapeutic subgroup, e.g. <c>J01</c> antibacterials for
/// systemic use) when the catalogue gives one: public-health analytics count prescriptions and dispensings by it.
/// Two drugs are substitutes when their composition and strength are the same (compared
/// case- and space-insensitively); the form is informative only.
/// </summary>
public sealed record Drug(
    string Code,
    string Name,
    string Composition,
    string Strength,
    string Form,
    DrugSchedule Schedule,
    TpgList List,
    bool NarcoticOrPsychotropic = false,
    string? AtcClass = null)
{
    /// <summary>Never prescribable by telemedicine: the prohibited list, Schedule X, narcotic and psychotropic drugs.</summary>
    public bool IsProhibited => List == TpgList.Prohibited || Schedule == DrugSchedule.X || NarcoticOrPsychotropic;

    /// <summary>Schedule H and H1 dispensing goes into the register a regulator can query.</summary>
    public bool NeedsRegister => Schedule is DrugSchedule.H or DrugSchedule.H1;

    public bool IsSubstituteFor(Drug other) =>
        Code != other.Code && Fold(Composition) == Fold(other.Composition) && Fold(Strength) == Fold(other.Strength);

    private static string Fold(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
