using System.Text;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Client.Evidence;

/// <summary>
/// Checks a contract bundle (<see cref="ContractEvidence"/>, docs/proof-format.md) offline against genesis.json: the
/// header at the bundle's height is a certified block of this chain; the record (or its absence) is proved under that
/// header's state root at key 0x10 ‖ UTF-8 contract id; the record is this contract's; the bundle's events are exactly
/// the record's history — none missing, none added or substituted, in order — each a valid tx proof of this contract,
/// accepted by the chaincode, in a block no later than the bundle's. A bundle is only as recent as its height: given
/// the height of a newer certified block the reader holds, an older bundle is refused as stale.
/// </summary>
public sealed class ContractEvidenceVerifier(EvidenceVerifier verifier)
{
    private static readonly Sm3Hasher Hasher = Sm3Hasher.Instance;

    /// <summary>The chaincode's prefix of contract records (ContractRecord under 0x10 ‖ UTF-8 id).</summary>
    public const byte ContractKeyPrefix = 0x10;

    public ContractEvidenceVerifier(GenesisDocument genesis)
        : this(new EvidenceVerifier(genesis))
    {
    }

    /// <summary>Checks <paramref name="bundle"/>; with <paramref name="knownHeight"/>, a bundle below that certified height is <see cref="ErrorCode.StaleStateProof"/>.</summary>
    public ContractEvidenceReport Verify(ContractEvidence bundle, ulong? knownHeight = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        try
        {
            return Check(bundle, knownHeight);
        }
        catch (LedgerException e)
        {
            return ContractEvidenceReport.Failed(e.ToResult());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            return ContractEvidenceReport.Failed(ValidationResult.Fail(ErrorCode.InvalidProof, $"contract bundle could not be checked: {e.Message}"));
        }
    }

    private ContractEvidenceReport Check(ContractEvidence bundle, ulong? knownHeight)
    {
        var chainId = verifier.Genesis.ChainId;
        if (bundle.ChainId != chainId)
            throw Fail(ErrorCode.WrongChainId, $"the bundle is for chain '{bundle.ChainId}', genesis is chain '{chainId}'");
        if (string.IsNullOrEmpty(bundle.ContractId))
            throw Fail(ErrorCode.InvalidProof, "the bundle names no contract");

        // 1. The block the state proof rests on: certified, at the height the bundle states, never genesis.
        var header = Decode("header", () => BlockHeader.Decode(Convert.FromBase64String(bundle.Header)));
        var commit = Decode("commit", () => CommitCertificate.Decode(Convert.FromBase64String(bundle.Commit)));
        if (header.Height != bundle.Height)
            throw Fail(ErrorCode.InvalidProof, $"the bundle states height {bundle.Height}, its header is at {header.Height}");
        if (header.Height == 0)
            throw Fail(ErrorCode.PreGenesisBlock, "height 0 is genesis: no evidence is certified there");
        var certified = verifier.VerifyCertifiedBlock(header, commit, bundle.Validators, bundle.Intermediates, bundle.ValidatorCheckpoints, out var sealedBy, out var validatorCount);
        if (!certified.IsValid) throw Fail(certified.Code, $"the block at height {header.Height}: {certified.Reason}");

        // 2. The record, or its absence, under the header's state root.
        var key = ContractKey(bundle.ContractId);
        var record = bundle.Record is null ? null : Decode("record", () => Convert.FromBase64String(bundle.Record));
        var stateProof = bundle.StateProof.ToProof();
        var proved = stateProof.Verify(Hasher, header.StateRoot, key, record, present: record is not null);
        if (!proved.IsValid)
            throw Fail(ErrorCode.InvalidStateProof, record is null ? $"absence of {bundle.ContractId}: {proved.Reason}" : $"record of {bundle.ContractId}: {proved.Reason}");

        // 3. Staleness: the reader knows of a later certified block.
        if (knownHeight is { } known && known > header.Height)
            throw Fail(ErrorCode.StaleStateProof, $"the bundle shows the contract at height {header.Height}, but height {known} is certified: the contract may have changed since");

        var blockTime = DateTimeOffset.FromUnixTimeMilliseconds(header.Timestamp);
        var blockHash = header.ComputeHash(Hasher);
        if (record is null)
        {
            if (bundle.Events.Count != 0)
                throw Fail(ErrorCode.UnexpectedEvent, $"the contract has no record at height {header.Height}, yet the bundle lists {bundle.Events.Count} events");
            return new ContractEvidenceReport
            {
                Result = ValidationResult.Valid, ChainId = chainId, ContractId = bundle.ContractId, Height = header.Height, BlockHash = blockHash,
                BlockTime = blockTime, Found = false, SealedBy = sealedBy, ValidatorCount = validatorCount,
            };
        }

        var summary = Decode("record", () => ContractRecordSummary.Decode(record));
        if (summary.ContractId != bundle.ContractId)
            throw Fail(ErrorCode.InvalidProof, $"the record is of contract '{summary.ContractId}', the bundle names '{bundle.ContractId}'");

        // 4. The events are exactly the history: same set, same order.
        CheckEventsMatchHistory(bundle, summary);

        // 5. Each event a valid proof of this contract's accepted tx, no later than the bundle's block.
        var events = new List<EvidenceReport>(bundle.Events.Count);
        for (var i = 0; i < bundle.Events.Count; i++)
        {
            var report = verifier.Verify(bundle.Events[i]);
            if (!report.IsValid) throw Fail(report.Result.Code, $"event {i}: {report.Result.Reason}");
            var entry = summary.History[i];
            if (report.ContractId != bundle.ContractId)
                throw Fail(ErrorCode.UnexpectedEvent, $"event {i} is a tx of contract '{report.ContractId}'");
            if (report.ReceiptCode != ErrorCode.Ok)
                throw Fail(ErrorCode.UnexpectedEvent, $"event {i} was refused by the chaincode ({report.ReceiptCode}): it is no event of the contract");
            if (report.Height != entry.Height || report.Height > header.Height)
                throw Fail(ErrorCode.UnexpectedEvent, $"event {i} is in block {report.Height}; the history records block {entry.Height}, the bundle is at {header.Height}");
            events.Add(report);
        }

        return new ContractEvidenceReport
        {
            Result = ValidationResult.Valid,
            ChainId = chainId,
            ContractId = bundle.ContractId,
            Height = header.Height,
            BlockHash = blockHash,
            BlockTime = blockTime,
            Found = true,
            Status = summary.Status,
            EffectiveVersion = summary.EffectiveVersion,
            Events = events,
            SealedBy = sealedBy,
            ValidatorCount = validatorCount,
        };
    }

    /// <summary>The state key of a contract's record: 0x10 ‖ UTF-8 id.</summary>
    public static byte[] ContractKey(string contractId) => [ContractKeyPrefix, .. Encoding.UTF8.GetBytes(contractId)];

    private static void CheckEventsMatchHistory(ContractEvidence bundle, ContractRecordSummary summary)
    {
        var history = summary.History.Select(h => h.TxId).ToArray();
        var events = new Hash32[bundle.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = Hash32.TryParse(bundle.Events[i].TxId, out var id) ? id : throw Fail(ErrorCode.InvalidProof, $"event {i}: txId is not 64 hex digits");
        }
        var inHistory = history.ToHashSet();
        var seen = new HashSet<Hash32>();
        for (var i = 0; i < events.Length; i++)
        {
            if (!inHistory.Contains(events[i]))
                throw Fail(ErrorCode.UnexpectedEvent, $"event {i} (tx {events[i]}) is not in the contract's history");
            if (!seen.Add(events[i]))
                throw Fail(ErrorCode.UnexpectedEvent, $"event {i} (tx {events[i]}) is listed twice");
        }
        for (var i = 0; i < history.Length; i++)
        {
            if (!seen.Contains(history[i]))
                throw Fail(ErrorCode.MissingEvent, $"history entry {i} (tx {history[i]}, {summary.History[i].Action} at height {summary.History[i].Height}) has no event in the bundle");
        }
        for (var i = 0; i < history.Length; i++)
        {
            if (events[i] != history[i])
                throw Fail(ErrorCode.EventsOutOfOrder, $"event {i} is tx {events[i]}; the history's entry {i} is tx {history[i]}");
        }
    }

    private static T Decode<T>(string field, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (LedgerException e) when (e.Code is not (ErrorCode.InvalidProof or ErrorCode.InvalidStateProof))
        {
            throw Fail(ErrorCode.InvalidProof, $"{field}: {e.Code}: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw Fail(ErrorCode.InvalidProof, $"{field}: {e.Message}");
        }
    }

    private static LedgerException Fail(ErrorCode code, string reason) => new(code, reason);
}
