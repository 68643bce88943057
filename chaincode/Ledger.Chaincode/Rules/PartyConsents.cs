using Ledger.Core;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The tx's Statement-scope endorsements sorted by party: the employer of record (an Employer certificate
/// with the contract's credit code), workers (Worker role: a bare key or a worker certificate), and anyone else.
/// Admission has already verified every signature over the statement of the payload.
/// </summary>
public sealed class PartyConsents
{
    private PartyConsents(IReadOnlyList<SignerIdentity> employer, IReadOnlyList<Hash32> workerKeys, IReadOnlyList<SignerIdentity> others)
    {
        Employer = employer;
        WorkerKeys = workerKeys;
        Others = others;
    }

    public IReadOnlyList<SignerIdentity> Employer { get; }

    /// <summary>Distinct worker key ids, in endorsement order.</summary>
    public IReadOnlyList<Hash32> WorkerKeys { get; }

    /// <summary>Statement signers who are not a party to this contract.</summary>
    public IReadOnlyList<SignerIdentity> Others { get; }

    public bool HasEmployer => Employer.Count > 0;

    public bool HasWorker => WorkerKeys.Count > 0;

    public bool HasAnyParty => HasEmployer || HasWorker;

    public Hash32? WorkerKey => HasWorker ? WorkerKeys[0] : null;

    public static PartyConsents From(IReadOnlyList<VerifiedEndorsement> endorsements, string employerCreditCode)
    {
        ArgumentNullException.ThrowIfNull(endorsements);
        var employer = new List<SignerIdentity>();
        var workers = new List<Hash32>();
        var others = new List<SignerIdentity>();
        foreach (var e in endorsements)
        {
            if (e.Scope != EndorsementScope.Statement) continue;
            var signer = e.Signer;
            if (signer.Role == Role.Employer && signer.CreditCode is { } code && string.Equals(code.Value, employerCreditCode, StringComparison.Ordinal))
                employer.Add(signer);
            else if (signer.Role == Role.Worker)
            {
                if (!workers.Contains(signer.KeyId)) workers.Add(signer.KeyId);
            }
            else
                others.Add(signer);
        }
        return new PartyConsents(employer, workers, others);
    }
}
