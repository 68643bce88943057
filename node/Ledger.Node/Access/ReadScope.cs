namespace Ledger.Node.Access;

/// <summary>What a caller may see of one contract.</summary>
public enum ReadScope
{
    /// <summary>Nothing beyond the public view.</summary>
    Denied = 0,

    /// <summary>Everything: its parties, validators and observers, a delegated integrator, legal authority with a committed record.</summary>
    Full = 1,

    /// <summary>Everything but a sensitive dissolution basis (illness, criminal liability): a bureau of the subtree, a consent holder.</summary>
    WithoutSensitive = 2,

    /// <summary>A court, arbitration board or inspector: Full once its AccessRecord (case number, reference) is committed.</summary>
    NeedsLegalBasis = 3,

    /// <summary>A reader outside the scope presenting an AccessRecord that names a consent grant: WithoutSensitive once committed.</summary>
    NeedsConsent = 4,
}
