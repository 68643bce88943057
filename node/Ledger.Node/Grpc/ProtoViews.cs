using Google.Protobuf;
using Ledger.Chain;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using V1 = Ledger.Proto.V1;
using State = Ledger.Chaincode.State;

namespace Ledger.Node.Grpc;

/// <summary>Domain answers as wire messages: canonical bytes as stored, plus decoded fields for other languages.</summary>
public static class ProtoViews
{
    public static ByteString Bytes(Hash32 hash) => UnsafeByteOperations.UnsafeWrap(hash.ToArray());

    private static ByteString Bytes(Hash32? hash) => hash is { } h ? Bytes(h) : ByteString.Empty;

    public static V1.CommittedTransaction Transaction(CommittedTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var message = new V1.CommittedTransaction
        {
            TxId = Bytes(tx.TxId),
            Envelope = ByteString.CopyFrom(tx.Envelope.Span),
            Receipt = UnsafeByteOperations.UnsafeWrap(tx.Receipt.Encode()),
            Height = tx.Height,
            Index = (uint)tx.Index,
            BlockHash = Bytes(tx.BlockHash),
            BlockTime = tx.BlockTimestamp,
            ReceiptCode = (uint)tx.Receipt.Code,
            ReceiptCodeName = tx.Receipt.Code.ToString(),
            ReceiptMessage = tx.Receipt.Message,
        };
        if (TryPayload(tx) is { } payload)
        {
            message.Action = (V1.ContractAction)payload.Action;
            message.ContractId = payload.ContractId;
        }
        return message;
    }

    /// <summary>
    /// What any caller may learn of a committed tx: that it is committed, where, when, with what outcome, and the
    /// contract's current status — no envelope, no receipt message, no contract id.
    /// </summary>
    public static V1.CommittedTransaction PublicView(CommittedTransaction tx, ContractStatus contractStatus)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var message = new V1.CommittedTransaction
        {
            TxId = Bytes(tx.TxId),
            Height = tx.Height,
            Index = (uint)tx.Index,
            BlockHash = Bytes(tx.BlockHash),
            BlockTime = tx.BlockTimestamp,
            ReceiptCode = (uint)tx.Receipt.Code,
            ReceiptCodeName = tx.Receipt.Code.ToString(),
            Redacted = true,
            ContractStatus = (V1.ContractStatus)contractStatus,
        };
        if (TryPayload(tx) is { } payload) message.Action = (V1.ContractAction)payload.Action;
        return message;
    }

    /// <summary>The contract id of a committed contract tx, or null (another payload, or bytes that no longer decode).</summary>
    public static string? ContractIdOf(CommittedTransaction tx) => TryPayload(tx)?.ContractId;

    /// <summary>Whether the tx states a sensitive dissolution basis (illness, criminal liability).</summary>
    public static bool IsSensitive(CommittedTransaction tx) =>
        TryPayload(tx) is DissolvePayload dissolve && Access.ReadPolicy.IsSensitive(dissolve.Basis);

    /// <summary>The contract without its sensitive dissolution basis: the detail numbers and names emptied where they are one.</summary>
    public static V1.ContractRecord ContractWithoutSensitive(State.ContractRecord record)
    {
        var message = Contract(record);
        if (record.Status == ContractStatus.Dissolved && Access.ReadPolicy.IsSensitive((DissolutionBasis)record.ClosureDetail))
        {
            message.ClosureDetail = 0;
            message.ClosureDetailName = "";
        }
        foreach (var entry in message.History)
        {
            if (entry.Action == V1.ContractAction.Dissolve && Access.ReadPolicy.IsSensitive((DissolutionBasis)entry.Detail))
            {
                entry.Detail = 0;
                entry.DetailName = "";
            }
        }
        return message;
    }

    public static V1.GetBlockResponse Block(Block block, bool headerOnly = false)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new V1.GetBlockResponse
        {
            Block = headerOnly ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(block.Encode()),
            Header = UnsafeByteOperations.UnsafeWrap(block.Header.Encode()),
            Height = block.Header.Height,
            BlockHash = Bytes(block.Header.ComputeHash(Sm3Hasher.Instance)),
            Timestamp = block.Header.Timestamp,
            TransactionCount = (uint)block.Transactions.Count,
            Commit = block.Commit is { } commit ? UnsafeByteOperations.UnsafeWrap(commit.Encode()) : ByteString.Empty,
        };
    }

    public static V1.ChainInfo ChainInfo(ChainInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var view = new V1.ChainInfo
        {
            ChainId = info.ChainId,
            Height = info.Height,
            HeadHash = Bytes(info.HeadHash),
            HeadTimestamp = info.HeadTimestamp,
            TotalTransactions = info.TotalTransactions,
            MempoolCount = (uint)info.MempoolCount,
            MempoolBytes = info.MempoolBytes,
            Validators = (uint)info.Validators,
            NodeName = info.NodeName,
            HistoryFrom = info.HistoryFrom,
        };
        if (info.Parameters is { } parameters)
        {
            foreach (var (name, genesis) in parameters.Genesis)
            {
                var values = new V1.ChainParameterValues { Name = name, GenesisValue = genesis };
                foreach (var entry in parameters.Schedule.Entries.Where(e => e.Parameter == name))
                    values.Scheduled.Add(new V1.ScheduledParameterValue { Value = entry.Value, FromHeight = entry.FromHeight });
                view.Parameters.Add(values);
            }
        }
        return view;
    }

    public static V1.ContractRecord Contract(State.ContractRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = new V1.ContractRecord
        {
            ContractId = record.ContractId,
            EmployerCreditCode = record.EmployerCreditCode,
            WorkerPseudonym = Bytes(record.WorkerPseudonym),
            Status = (V1.ContractStatus)record.Status,
            EvidenceGrade = (V1.EvidenceGrade)record.EvidenceGrade,
            WorkerKeyId = Bytes(record.WorkerKeyId),
            EffectiveVersion = record.EffectiveVersion,
            ClosedOn = record.ClosedOn?.ToNumber() ?? 0,
            ClosureDetail = record.ClosureDetail,
            ClosureDetailName = DetailName(record.Status switch
            {
                ContractStatus.Dissolved => ContractAction.Dissolve,
                ContractStatus.Terminated => ContractAction.Terminate,
                _ => ContractAction.Unspecified,
            }, record.ClosureDetail),
            AttestationReference = record.AttestationReference ?? "",
        };
        // A paper upload awaiting confirmation is anchored, not concluded: nobody but its employer vouches for it yet.
        message.Versions.AddRange(record.Versions.Select(v => Version(v, record.Status != ContractStatus.PendingConfirmation)));
        message.History.AddRange(record.History.Select(History));
        return message;
    }

    private static V1.ContractVersion Version(State.ContractVersion version, bool vouchedFor) => new()
    {
        Number = version.Number,
        CreatedBy = (V1.ContractAction)version.CreatedBy,
        DocumentHash = Bytes(version.DocumentHash),
        DocumentFormat = (V1.DocumentFormat)version.DocumentFormat,
        Terms = new V1.ContractTerms
        {
            Type = (V1.ContractType)version.Terms.Type,
            Start = version.Terms.Start.ToNumber(),
            End = version.Terms.End?.ToNumber() ?? 0,
            ProbationEnd = version.Terms.ProbationEnd?.ToNumber() ?? 0,
            PlaceOfWork = version.Terms.PlaceOfWork,
            Industry = version.Terms.Industry,
            ModelTextId = version.Terms.ModelTextId ?? "",
        },
        EmployerSigned = version.EmployerSigned,
        WorkerSigned = version.WorkerSigned,
        PaperSignedOn = version.PaperSignedOn?.ToNumber() ?? 0,
        Concluded = version.IsConcluded && vouchedFor,
    };

    private static V1.HistoryEntry History(State.HistoryEntry entry) => new()
    {
        Action = (V1.ContractAction)entry.Action,
        Version = entry.Version,
        TxId = Bytes(entry.TxId),
        Height = entry.Height,
        BlockTime = entry.BlockTime,
        SubmitterKeyId = Bytes(entry.SubmitterKeyId),
        SubmitterRole = entry.SubmitterRole.ToString(),
        SubmitterCertificateId = Bytes(entry.SubmitterCertificateId),
        EmployerSigner = Bytes(entry.EmployerSigner),
        WorkerSigner = Bytes(entry.WorkerSigner),
        Detail = entry.Detail,
        DetailName = DetailName(entry.Action, entry.Detail),
        EffectiveDate = entry.EffectiveDate,
    };

    private static string DetailName(ContractAction action, uint detail) => detail == 0 ? "" : action switch
    {
        ContractAction.Dissolve => ((DissolutionBasis)detail).ToString(),
        ContractAction.Terminate => ((TerminationReason)detail).ToString(),
        _ => "",
    };

    private static IContractPayload? TryPayload(CommittedTransaction tx)
    {
        try
        {
            var body = tx.Decode().Body;
            return ContractPayloads.IsContractPayload(body.PayloadField) ? ContractPayloads.Decode(body) : null;
        }
        catch (LedgerException)
        {
            // Committed bytes that no longer decode are shown as bytes only; the envelope field still carries them.
            return null;
        }
    }
}
