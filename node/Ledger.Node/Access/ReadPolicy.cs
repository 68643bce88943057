using Ledger.Chain;
using Ledger.Chaincode.Access;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Node.Grpc;

namespace Ledger.Node.Access;

/// <summary>
/// Who may read what (ARCHITECTURE §4), decided from the authenticated caller and committed state alone:
/// whole blocks for the validators of genesis and Observer certificates; a contract for its employer (credit code),
/// its worker (<see cref="WorkerMatch"/>), the bureaus whose division holds the employer's registration or a place of
/// work (without sensitive bases), an integrator with a standing delegation from the employer, and — once their
/// AccessRecord is committed — courts, arbitration boards and inspectors, or a reader with the worker's consent.
/// </summary>
public sealed class ReadPolicy(ILedgerApi api, Func<Hash32, bool> isValidator, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Bases that reveal health or criminal data (PIPL art. 28): shown to parties and legal authority only.</summary>
    public static bool IsSensitive(DissolutionBasis basis) => basis is DissolutionBasis.Art40Illness or DissolutionBasis.Art39CriminalLiability;

    public static Caller RequireCaller(Caller? caller, string what) =>
        caller ?? throw GrpcErrors.Unauthenticated(ErrorCode.CallerCredentialsMissing, $"{what} is for authenticated callers: sign the call with a consortium certificate");

    public bool ReadsWholeBlocks(Caller? caller) =>
        caller is not null && (caller.Role == Role.Observer || (caller.Role == Role.Validator && isValidator(caller.CertificateId)));

    /// <summary>Refuses a caller who may not receive raw blocks: UNAUTHENTICATED when anonymous, PERMISSION_DENIED otherwise.</summary>
    public void RequireWholeBlocks(Caller? caller, string what)
    {
        var known = RequireCaller(caller, what);
        if (!ReadsWholeBlocks(known))
            throw GrpcErrors.PermissionDenied(ErrorCode.ReadNotPermitted,
                $"{what} is for the validators of genesis and observers, not {known.Role}; ask for headers (header_only) instead");
    }

    public ReadScope ScopeOf(Caller caller, ContractRecord record)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(record);
        if (ReadsWholeBlocks(caller)) return ReadScope.Full;
        var identity = caller.Identity;
        switch (caller.Role)
        {
            case Role.Employer when identity.CreditCode is { } code && code.Value == record.EmployerCreditCode:
                return ReadScope.Full;
            case Role.Worker when WorkerMatch.Matches(identity, record):
                return ReadScope.Full;
            case Role.Bureau when identity.Division is { } division && InDivision(division, record):
                return ReadScope.WithoutSensitive;
            case Role.Integrator when api.GetDelegation(record.EmployerCreditCode, caller.CertificateId) is { } grant
                                      && grant.StandsAt(_time.GetUtcNow().ToUnixTimeMilliseconds()).IsValid:
                return ReadScope.Full;
            case Role.Court or Role.Arbitration or Role.Inspector:
                return ReadScope.NeedsLegalBasis;
        }
        return caller.HasAccessRecord ? ReadScope.NeedsConsent : ReadScope.Denied;
    }

    /// <summary>A bureau's subtree holds the employer's registration (credit code digits 3-8) or any version's place of work.</summary>
    public static bool InDivision(DivisionCode bureau, ContractRecord record)
    {
        if (record.EmployerCreditCode.Length == 18 && DivisionCode.TryParse(record.EmployerCreditCode.Substring(2, 6), out var registered) && bureau.Contains(registered))
            return true;
        foreach (var version in record.Versions)
            if (DivisionCode.TryParse(version.Terms.PlaceOfWork, out var place) && bureau.Contains(place)) return true;
        return false;
    }
}
