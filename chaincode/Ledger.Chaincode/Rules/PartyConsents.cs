using Ledger.Core;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The tx's Statement-scope endorsements sorted by party: the employer of record (an Employer certificate
/// with the contract's credit code), workers (a Worker certificate of a city CA, with its pseudonym — bare keys carry no
/// role), and anyone else.
/// Admission has already verified every signature over the statement of the payload.
/// </summary>
public sealed class PartyConsents
{
    private PartyConsents(IReadOnlyList<SignerIdentity> employer, IReadOnlyList<Hash32> workerKeys, IReadOnlyList<Hash32> workerPseudonyms, IReadOnlyList<SignerIdentity> others)
    {
        Employer = employer;
        WorkerKeys = workerKeys;
        WorkerPseudonyms = workerPseudonyms;
        Others = others;
    }

    public IReadOnlyList<SignerIdentity> Employer { get; }

    /// <summary>Distinct worker key ids, in endorsement order.</summary>
    public IReadOnlyList<Hash32> WorkerKeys { get; }

    /// <summary>Distinct pseudonyms of the Worker certificates that signed, in endorsement order.</summary>
    public IReadOnlyList<Hash32> WorkerPseudonyms { get; }

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
        var pseudonyms = new List<Hash32>();
        var others = new List<SignerIdentity>();
        foreach (var e in endorsements)
        {
            if (e.Scope != EndorsementScope.Statement) continue;
            var signer = e.Signer;
            if (signer.Role == Role.Employer && signer.CreditCode is { } code && string.Equals(code.Value, employerCreditCode, StringComparison.Ordinal))
                employer.Add(signer);
            else if (signer.Role == Role.Worker && signer.WorkerPseudonym is { } pseudonym)
            {
                if (!workers.Contains(signer.KeyId)) workers.Add(signer.KeyId);
                if (!pseudonyms.Contains(pseudonym)) pseudonyms.Add(pseudonym);
            }
            else
                others.Add(signer);
        }
        return new PartyConsents(employer, workers, pseudonyms, others);
    }
}
