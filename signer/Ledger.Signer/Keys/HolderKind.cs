namespace Ledger.Signer.Keys;

/// <summary>A person signs as a worker (pseudonymous certificate); an organisation as an employer (credit code in clear).</summary>
public enum HolderKind
{
    Person = 1,
    Organisation = 2,
}
