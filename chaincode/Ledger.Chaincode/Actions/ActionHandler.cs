using Ledger.Chaincode.Rules;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Execution;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Actions;

/// <summary>The shared plumbing of the action handlers: typed payload, context building, history entries, the art. 14/19 index.</summary>
public abstract class ActionHandler<TPayload>(IContractRule rule, params IReadOnlyList<IWarningRule> warnings) : IActionHandler
    where TPayload : class, IContractPayload
{
    public abstract ContractAction Action { get; }

    public IContractRule Rule { get; } = rule;

    public IReadOnlyList<IWarningRule> Warnings { get; } = warnings;

    public ActionContext Describe(TxContext tx, IContractPayload payload, IStateStore state, LabourContractOptions options)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var typed = payload as TPayload ?? throw new ArgumentException($"{GetType().Name} handles {typeof(TPayload).Name}", nameof(payload));
        return Describe(tx, typed, ContractStore.Get(state, typed.ContractId), state, options);
    }

    public void Apply(ActionContext context, IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(context);
        Apply(context, (TPayload)context.Payload, state);
    }

    protected abstract ActionContext Describe(TxContext tx, TPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options);

    protected abstract void Apply(ActionContext context, TPayload payload, IStateStore state);

    /// <summary>A context for an action on an existing contract; the parties come from the record (none if it does not exist).</summary>
    protected static ActionContext OnExisting(
        TxContext tx, TPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options,
        ContractVersion? target, uint? namedVersion, Hash32? namedDocumentHash, ContractTerms? proposedTerms = null)
    {
        var employer = current?.EmployerCreditCode ?? "";
        var worker = current?.WorkerPseudonym ?? Hash32.Zero;
        return new ActionContext
        {
            Tx = tx,
            Payload = payload,
            Options = options,
            Current = current,
            Today = ContractDate.FromUnixMilliseconds(tx.BlockTime),
            EmployerCreditCode = employer,
            WorkerPseudonym = worker,
            Consents = PartyConsents.From(tx.Endorsements, employer),
            Pair = current is null ? PartyPairRecord.Empty : ContractStore.GetPair(state, employer, worker),
            ProposedTerms = proposedTerms,
            Target = target,
            NamedVersion = namedVersion,
            NamedDocumentHash = namedDocumentHash,
        };
    }

    /// <summary>A context for an action that creates a contract; the parties come from the payload.</summary>
    protected static ActionContext OnNew(
        TxContext tx, TPayload payload, ContractRecord? current, IStateStore state, LabourContractOptions options,
        string employerCreditCode, Hash32 workerPseudonym, ContractTerms terms) => new()
    {
        Tx = tx,
        Payload = payload,
        Options = options,
        Current = current,
        Today = ContractDate.FromUnixMilliseconds(tx.BlockTime),
        EmployerCreditCode = employerCreditCode,
        WorkerPseudonym = workerPseudonym,
        Consents = PartyConsents.From(tx.Endorsements, employerCreditCode),
        Pair = ContractStore.GetPair(state, employerCreditCode, workerPseudonym),
        ProposedTerms = terms,
    };

    /// <summary>The history entry of this tx: who submitted, which parties signed, when.</summary>
    protected static HistoryEntry Entry(ActionContext context, uint version, uint detail = 0, ContractDate? effectiveDate = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new HistoryEntry
        {
            Action = context.Action,
            Version = version,
            TxId = context.Tx.TxId,
            Height = context.Tx.Height,
            BlockTime = context.Tx.BlockTime,
            SubmitterKeyId = context.Submitter.KeyId,
            SubmitterRole = context.Submitter.Role,
            SubmitterCertificateId = context.Submitter.CertificateId,
            EmployerSigner = context.Consents.HasEmployer ? context.Consents.Employer[0].KeyId : null,
            WorkerSigner = context.Consents.WorkerKey,
            Detail = detail,
            EffectiveDate = effectiveDate?.ToNumber() ?? 0,
        };
    }

    /// <summary>
    /// A new contract (registration, renewal, paper) was concluded between the pair: extend or reset the
    /// fixed-term streak of art. 14 and remember a probation for art. 19 para. 2.
    /// </summary>
    protected static void Conclude(IStateStore state, ContractRecord record, ContractVersion version)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(version);
        var pair = ContractStore.GetPair(state, record.EmployerCreditCode, record.WorkerPseudonym);
        var updated = new PartyPairRecord(
            version.Terms.Type == ContractType.FixedTerm ? pair.ConsecutiveFixedTerms + 1 : 0,
            pair.ProbationAgreed || version.Terms.ProbationEnd is not null);
        ContractStore.PutPair(state, record.EmployerCreditCode, record.WorkerPseudonym, updated);
    }

    /// <summary>
    /// A change or renewal: the next version (new document and terms) is added pending both signatures; the version
    /// in force stays in force until then.
    /// </summary>
    protected static void ProposeVersion(ActionContext context, IStateStore state, ContractStatus pending, Hash32 document, DocumentFormat format, ContractTerms terms)
    {
        ArgumentNullException.ThrowIfNull(context);
        var record = context.Current!;
        var version = new ContractVersion
        {
            Number = record.Latest.Number + 1,
            CreatedBy = context.Action,
            DocumentHash = document,
            DocumentFormat = format,
            Terms = terms,
        };
        ContractStore.Put(state, record with
        {
            WorkerKeyId = record.WorkerKeyId ?? context.Consents.WorkerKey,
            Status = pending,
            Versions = Append(record.Versions, version),
            History = Append(record.History, Entry(context, version.Number)),
        });
    }

    protected static IReadOnlyList<T> Append<T>(IReadOnlyList<T> list, T item)
    {
        ArgumentNullException.ThrowIfNull(list);
        var copy = new List<T>(list.Count + 1);
        copy.AddRange(list);
        copy.Add(item);
        return copy;
    }
}
