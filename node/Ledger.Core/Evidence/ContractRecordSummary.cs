using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Evidence;

/// <summary>
/// What a contract bundle's verifier reads of the chaincode's <c>ContractRecord</c> (docs/proof-format.md): the id
/// (field 1), the status (4), the version in force (7) and, per history entry (15), its action (1), version (2),
/// tx id (3), height (4) and block time (5). Other fields are skipped, so the chaincode can add fields without
/// breaking verifiers; the fields read must still be well-formed.
/// </summary>
public sealed record ContractRecordSummary(string ContractId, ContractStatus Status, uint EffectiveVersion, IReadOnlyList<ContractRecordSummary.Event> History)
{
    public sealed record Event(ContractAction Action, uint Version, Hash32 TxId, ulong Height, long BlockTime);

    private static readonly int[] AnyField = Enumerable.Range(1, ProtoReader.MaxFieldNumber).ToArray();

    public static ContractRecordSummary Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "ContractRecord", AnyField);
        string? id = null;
        var status = ContractStatus.Unspecified;
        uint effective = 0;
        var history = new List<Event>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: id = r.ReadString(EncodingLimits.MaxShortStringBytes); break;
                case 4: status = (ContractStatus)r.ReadUInt32(); break;
                case 7: effective = r.ReadUInt32(); break;
                case 15: history.Add(DecodeEvent(r.ReadLengthDelimited())); break;
                default: r.SkipValue(); break;
            }
        }
        if (!Enum.IsDefined(status) || status == ContractStatus.Unspecified) throw r.Invalid($"ContractRecord: status {(int)status}");
        return new ContractRecordSummary(id ?? throw r.Missing("ContractRecord.contract_id"), status, effective, history);
    }

    private static Event DecodeEvent(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "HistoryEntry", AnyField);
        var action = ContractAction.Unspecified;
        uint version = 0;
        Hash32? txId = null;
        ulong height = 0;
        long time = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: action = (ContractAction)r.ReadUInt32(); break;
                case 2: version = r.ReadUInt32(); break;
                case 3: txId = r.ReadHash(); break;
                case 4: height = r.ReadUInt64(); break;
                case 5: time = r.ReadInt64(); break;
                default: r.SkipValue(); break;
            }
        }
        return new Event(action, version, txId ?? throw r.Missing("HistoryEntry.tx_id"), height, time);
    }
}
