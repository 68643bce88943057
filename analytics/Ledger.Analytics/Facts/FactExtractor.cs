using Ledger.Analytics.Indexing;
using Ledger.Chaincode.Law;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Caching;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Analytics.Facts;

/// <summary>
/// Turns a certified block into facts: one <see cref="LifecycleFact"/> per successful contract tx in scope, replaying
/// the lifecycle on the contracts it touches (loaded by the caller, updated in place) so that each event knows the
/// version it concerns and whether a version came into force. Txs the chain refused (a receipt code other than Ok)
/// and non-contract payloads make no fact. Pure: no I/O.
/// </summary>
public sealed class FactExtractor(IndexScope scope)
{
    private readonly LruCache<Hash32, (Role Role, string? CreditCode)> _signers = new(4096);

    /// <summary>The contract ids the block's successful contract txs name, so the caller can load their state first.</summary>
    public static IReadOnlyCollection<string> ContractIds(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, _, body) in ContractTxs(block))
            ids.Add(ContractPayloads.Decode(body).ContractId);
        return ids;
    }

    public BlockFacts Extract(Block block, IDictionary<string, ContractState> contracts)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(contracts);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(block.Header.Timestamp);
        var height = checked((long)block.Header.Height);
        var result = new BlockFacts();
        foreach (var (index, envelope, body) in ContractTxs(block))
        {
            var payload = ContractPayloads.Decode(body);
            var txId = Sm3Hasher.Instance.Hash(envelope.BodyBytes.Span).ToArray();
            contracts.TryGetValue(payload.ContractId, out var contract);
            LifecycleFact? fact = payload switch
            {
                RegisterPayload register => Register(register, contracts, out contract),
                UploadPaperPayload paper => UploadPaper(paper, contracts, time, block.Receipts[index].Warnings.Contains(ErrorCode.AwaitingConfirmation), out contract),
                ConfirmPaperPayload confirm => ConfirmPaper(Require(contract, confirm), envelope, time),
                SignPayload sign => Sign(sign, Require(contract, sign), envelope, time),
                ChangePayload change => Propose(Require(contract, change), (int)change.BaseVersion + 1, ContractAction.Change, change.Terms),
                RenewPayload renew => Propose(Require(contract, renew), (int)renew.BaseVersion + 1, ContractAction.Renew, renew.Terms),
                DissolvePayload dissolve => Close(Require(contract, dissolve), (int)dissolve.Version, time, ContractStatus.Dissolved) with
                {
                    Basis = scope.Visible(dissolve.Basis),
                    EffectiveDate = ContractState.ToDate(dissolve.EffectiveDate),
                },
                TerminatePayload terminate => Close(Require(contract, terminate), (int)terminate.Version, time, ContractStatus.Terminated) with
                {
                    Reason = terminate.Reason,
                    EffectiveDate = ContractState.ToDate(terminate.EffectiveDate),
                },
                _ => null,
            };
            if (fact is null || contract is null) continue;
            result.Touched[contract.ContractId] = contract;
            if (!scope.Covers(contract.EmployerCreditCode, contract.PlaceOfWork)) continue;
            result.Facts.Add(fact with { Height = height, TxIndex = index, TxId = txId, BlockTime = time });
        }
        return result;
    }

    private static IEnumerable<(int Index, TxEnvelope Envelope, TxBody Body)> ContractTxs(Block block)
    {
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            if (!block.Receipts[i].Succeeded) continue;
            var envelope = TxEnvelope.Decode(block.Transactions[i].Span);
            var body = envelope.Body;
            if (!ContractPayloads.IsContractPayload(body.PayloadField)) continue;
            yield return (i, envelope, body);
        }
    }

    private static ContractState Require(ContractState? contract, IContractPayload payload) =>
        contract ?? throw new AnalyticsException($"a committed {payload.Action} names contract {payload.ContractId}, which no earlier block registered: the index is not the chain's from height 1");

    private LifecycleFact Register(RegisterPayload register, IDictionary<string, ContractState> contracts, out ContractState contract)
    {
        contract = New(register.ContractId, register.EmployerCreditCode, register.WorkerPseudonym, register.Terms, paper: false);
        contract.Status = ContractStatus.PendingSignature;
        contracts[contract.ContractId] = contract;
        return FactOf(contract, ContractAction.Register, 1);
    }

    /// <param name="awaiting">The receipt says the upload awaits the worker's confirmation or a bureau's attestation (protocol version 4): not in force yet.</param>
    private LifecycleFact UploadPaper(UploadPaperPayload paper, IDictionary<string, ContractState> contracts, DateTimeOffset time, bool awaiting, out ContractState contract)
    {
        contract = New(paper.ContractId, paper.EmployerCreditCode, paper.WorkerPseudonym, paper.Terms, paper: true);
        contract.LatestCreatedBy = ContractAction.UploadPaper;
        contracts[contract.ContractId] = contract;
        if (awaiting)
        {
            contract.Status = ContractStatus.PendingConfirmation;
            return FactOf(contract, ContractAction.UploadPaper, 1);
        }
        return InForce(contract, ContractAction.UploadPaper, time);
    }

    /// <summary>An employer's paper upload comes into force: now it is a concluded contract.</summary>
    private LifecycleFact ConfirmPaper(ContractState contract, TxEnvelope envelope, DateTimeOffset time)
    {
        var (_, worker) = Signers(envelope, contract.EmployerCreditCode);
        return InForce(contract, ContractAction.ConfirmPaper, time) with { WorkerSigned = worker };
    }

    private static LifecycleFact InForce(ContractState contract, ContractAction action, DateTimeOffset time)
    {
        contract.LatestEmployerSigned = contract.LatestWorkerSigned = true;
        contract.EffectiveVersion = 1;
        contract.Status = ContractStatus.Effective;
        contract.ConcludedAt = time;
        return FactOf(contract, action, 1) with { Concluded = ContractAction.UploadPaper, Opened = true };
    }

    private LifecycleFact Sign(SignPayload sign, ContractState contract, TxEnvelope envelope, DateTimeOffset time)
    {
        var (employer, worker) = Signers(envelope, contract.EmployerCreditCode);
        var version = (int)sign.Version;
        var wasInForce = contract.LatestEmployerSigned && contract.LatestWorkerSigned;
        contract.LatestEmployerSigned |= employer;
        contract.LatestWorkerSigned |= worker;
        var concluded = !wasInForce && contract.LatestEmployerSigned && contract.LatestWorkerSigned;
        var opened = concluded && contract.EffectiveVersion == 0;
        if (concluded)
        {
            contract.EffectiveVersion = version;
            contract.Status = ContractStatus.Effective;
            if (opened) contract.ConcludedAt = time;
        }
        return FactOf(contract, ContractAction.Sign, version) with
        {
            EmployerSigned = employer,
            WorkerSigned = worker,
            Concluded = concluded ? contract.LatestCreatedBy : ContractAction.Unspecified,
            Opened = opened,
        };
    }

    private static LifecycleFact Propose(ContractState contract, int version, ContractAction action, ContractTerms terms)
    {
        contract.Propose(version, action, terms);
        contract.Status = action == ContractAction.Change ? ContractStatus.PendingChange : ContractStatus.PendingRenewal;
        return FactOf(contract, action, version);
    }

    private static LifecycleFact Close(ContractState contract, int version, DateTimeOffset time, ContractStatus status)
    {
        var fact = FactOf(contract, status == ContractStatus.Dissolved ? ContractAction.Dissolve : ContractAction.Terminate, version) with
        {
            Closed = true,
        };
        contract.Status = status;
        contract.ClosedAt = time;
        return fact;
    }

    private ContractState New(string contractId, string creditCode, Hash32 pseudonym, ContractTerms terms, bool paper)
    {
        var contract = new ContractState
        {
            ContractId = contractId,
            EmployerCreditCode = creditCode,
            WorkerPseudonym = pseudonym.ToArray(),
            Type = terms.Type,
            Start = ContractState.ToDate(terms.Start),
            PlaceOfWork = terms.PlaceOfWork,
            Industry = terms.Industry,
            Paper = paper,
        };
        contract.Propose(1, paper ? ContractAction.UploadPaper : ContractAction.Register, terms);
        return contract;
    }

    private static LifecycleFact FactOf(ContractState contract, ContractAction action, int version) => new()
    {
        Height = 0,
        TxIndex = 0,
        TxId = [],
        BlockTime = default,
        Action = action,
        ContractId = contract.ContractId,
        Version = version,
        EmployerCreditCode = contract.EmployerCreditCode,
        Division = DivisionPath.Of(contract.PlaceOfWork),
        IndustrySection = IndustryCodes.SectionOf(contract.Industry),
        IndustryClass = contract.Industry,
        ContractType = contract.Type,
        Probation = contract.ProbationEnd is not null,
        TermDays = contract.TermDays,
        WorkerPseudonym = contract.WorkerPseudonym,
    };

    /// <summary>Whose statement signatures a sign tx carries: the employer of record's, a Worker certificate's (as PartyConsents sorts them).</summary>
    private (bool Employer, bool Worker) Signers(TxEnvelope envelope, string creditCode)
    {
        bool employer = false, worker = false;
        foreach (var endorsement in envelope.Endorsements)
        {
            if (endorsement.Scope != EndorsementScope.Statement || endorsement.Certificate.IsEmpty) continue;
            var id = Sm3Hasher.Instance.Hash(endorsement.Certificate.Span);
            if (!_signers.TryGetValue(id, out var signer))
            {
                var certificate = LedgerCertificate.FromDer(endorsement.Certificate.ToArray());
                signer = (certificate.Role, certificate.CreditCode?.Value);
                _signers.Set(id, signer);
            }
            if (signer.Role == Role.Employer && signer.CreditCode == creditCode) employer = true;
            else if (signer.Role == Role.Worker) worker = true;
        }
        return (employer, worker);
    }
}
