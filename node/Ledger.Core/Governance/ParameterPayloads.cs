using System.Globalization;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Core.Governance;

/// <summary>
/// The protocol versions this software knows, and what each adds. A block is executed with the rules of the version its
/// height runs (genesis's <c>protocolVersion</c>, then the versions governance activated), so a rule added later never
/// changes how an older block re-executes; a node asked to run a height whose version it does not know stops there
/// (<see cref="ErrorCode.ProtocolVersionUnsupported"/>) instead of deciding by other rules than its peers.
/// </summary>
public static class ProtocolVersions
{
    /// <summary>Contracts, access, CRLs and audit anchors on chain, external anchors, validator-set governance, parameter changes.</summary>
    public const int V1 = 1;

    /// <summary>V1 and city CAs changed by vote (<see cref="ProposeAuthorityChangePayload"/>), with the CA check of every endorsement.</summary>
    public const int V2 = 2;

    /// <summary>V2 and paper batches (<see cref="Contracts.UploadPaperBatchPayload"/>, TxBody field 24): bulk anchoring by a Bureau.</summary>
    public const int V3 = 3;

    /// <summary>
    /// V3 and paper uploads that need the worker or a bureau: an employer's upload alone stays
    /// <see cref="Contracts.ContractStatus.PendingConfirmation"/> until the named worker confirms or a bureau attests it
    /// (<see cref="Contracts.ConfirmPaperPayload"/>, TxBody field 25), and a bureau's upload names its archive reference;
    /// and the anchoring interval as chain parameters (<see cref="ChainParameter.AnchorIntervalBlocks"/>, <see cref="ChainParameter.AnchorIntervalSeconds"/>).
    /// </summary>
    public const int V4 = 4;

    /// <summary>The newest version this software runs; what <c>network init</c> writes into a new genesis.</summary>
    public const int Current = V4;

    /// <summary>The version that first accepts payload <paramref name="field"/> (1 for every payload older than versions).</summary>
    public static int IntroducedIn(int field) => field switch
    {
        ProposeAuthorityChangePayload.Field => V2,
        Contracts.UploadPaperBatchPayload.Field => V3,
        Contracts.ContractPayloads.ConfirmPaperField => V4,
        _ => V1,
    };
}

/// <summary>The chain parameters governance may change, with their bounds.</summary>
public static class ChainParameter
{
    /// <summary>The protocol version: only ever the next one (current + 1).</summary>
    public const string ProtocolVersion = "protocolVersion";

    /// <summary>How long a proposer waits after its parent's time before proposing (ms).</summary>
    public const string BlockIntervalMs = "consensus.blockIntervalMs";

    /// <summary>The most txs a proposer puts in a block.</summary>
    public const string MaxBlockTransactions = "consensus.maxBlockTransactions";

    /// <summary>The most tx bytes a proposer puts in a block.</summary>
    public const string MaxBlockBytes = "consensus.maxBlockBytes";

    /// <summary>At most this many blocks between two external anchors (the anchoring service's checkpoints).</summary>
    public const string AnchorIntervalBlocks = "anchor.intervalBlocks";

    /// <summary>At most this many seconds of block time between two external anchors.</summary>
    public const string AnchorIntervalSeconds = "anchor.intervalSeconds";

    /// <summary>Every parameter with the least and greatest value it may take, in the order they were introduced.</summary>
    public static readonly IReadOnlyDictionary<string, (ulong Min, ulong Max)> Bounds = new Dictionary<string, (ulong, ulong)>(StringComparer.Ordinal)
    {
        [ProtocolVersion] = (2, 1000),
        [BlockIntervalMs] = (10, 60_000),
        [MaxBlockTransactions] = (1, 50_000),
        [MaxBlockBytes] = (64 * 1024, EncodingLimits.MaxBlockBytes / 2),
        // Recording an anchor on our chain makes a block: one block apart, the records would anchor themselves forever.
        [AnchorIntervalBlocks] = (2, 10_000_000),
        [AnchorIntervalSeconds] = (1, 30 * 24 * 3600),
    };

    /// <summary>The protocol version from which a proposal may change <paramref name="parameter"/>.</summary>
    public static int IntroducedIn(string parameter) => parameter switch
    {
        AnchorIntervalBlocks or AnchorIntervalSeconds => ProtocolVersions.V4,
        _ => ProtocolVersions.V1,
    };

    /// <summary>The parameters a height running <paramref name="version"/> knows, in the order they were introduced.</summary>
    public static IEnumerable<string> KnownIn(int version) => Bounds.Keys.Where(p => IntroducedIn(p) <= version);
}

/// <summary>
/// A proposal to change a chain parameter from a stated height: <c>ProposeParameterChange { parameter = 1; value = 2;
/// effective_height = 3 }</c>, in payload field <see cref="Field"/>; proposed and voted on like a validator change.
/// </summary>
public sealed record ProposeParameterChangePayload
{
    public const int Field = 53;

    /// <summary>One of <see cref="ChainParameter"/>'s names.</summary>
    public required string Parameter { get; init; }

    public required ulong Value { get; init; }

    /// <summary>The first height that runs with the new value.</summary>
    public required ulong EffectiveHeight { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(64);
        w.WriteString(1, Parameter);
        w.WriteUInt64(2, Value);
        w.WriteUInt64(3, EffectiveHeight);
        return w.ToArray();
    }

    /// <summary>
    /// Decodes and checks the parameter is one the chain knows at <paramref name="version"/> and the value within its
    /// bounds. A block below the version that introduced a parameter refuses it as the software of that time did, in the
    /// same words, so old blocks re-execute to the same receipts.
    /// </summary>
    public static ProposeParameterChangePayload Decode(ReadOnlySpan<byte> bytes, int version = ProtocolVersions.Current)
    {
        if (bytes.Length > 256) throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"ProposeParameterChange: {bytes.Length} bytes"));
        var r = new ProtoReader(bytes, "ProposeParameterChange");
        string? parameter = null;
        ulong value = 0, effective = 0;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: parameter = r.ReadString(64); break;
                case 2: value = r.ReadUInt64(); break;
                case 3: effective = r.ReadUInt64(); break;
                default: throw r.UnknownField(field);
            }
        }
        if (parameter is null) throw r.Missing("ProposeParameterChange.parameter");
        if (effective == 0) throw r.Missing("ProposeParameterChange.effective_height");
        if (!ChainParameter.Bounds.TryGetValue(parameter, out var bounds) || ChainParameter.IntroducedIn(parameter) > version)
            throw r.Invalid($"ProposeParameterChange.parameter: '{parameter}' is none of {string.Join(", ", ChainParameter.KnownIn(version))}");
        if (value < bounds.Min || value > bounds.Max)
            throw r.Invalid(string.Create(CultureInfo.InvariantCulture, $"ProposeParameterChange.value: {parameter} takes {bounds.Min}..{bounds.Max}, not {value}"));
        return new ProposeParameterChangePayload { Parameter = parameter, Value = value, EffectiveHeight = effective };
    }

    public TxBody CreateBody(string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) =>
        TxBody.SubmitterOnly(chainId, nonce, expiresAt, submitterCertificateId, Field, Encode());
}

/// <summary>One scheduled value of a parameter.</summary>
public sealed record ScheduledParameter(string Parameter, ulong Value, ulong FromHeight);

/// <summary>
/// Every parameter value governance scheduled, by parameter then height (genesis's values are not listed: they hold until the
/// first entry). In the state under <see cref="GovernanceKeys.Parameters"/>. Encoded <c>ParameterSchedule { repeated Entry
/// entries = 1 }</c>, <c>Entry { parameter = 1; value = 2; from_height = 3 }</c>.
/// </summary>
public sealed class ParameterSchedule
{
    public static readonly ParameterSchedule Empty = new([]);

    public ParameterSchedule(IReadOnlyList<ScheduledParameter> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries.OrderBy(e => e.Parameter, StringComparer.Ordinal).ThenBy(e => e.FromHeight)];
        for (var i = 1; i < Entries.Count; i++)
            if (Entries[i].Parameter == Entries[i - 1].Parameter && Entries[i].FromHeight == Entries[i - 1].FromHeight)
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"a parameter schedule names {Entries[i].Parameter} twice at one height");
    }

    public IReadOnlyList<ScheduledParameter> Entries { get; }

    /// <summary>The value of <paramref name="parameter"/> at <paramref name="height"/>, or <paramref name="genesis"/> before any entry.</summary>
    public ulong ValueAt(string parameter, ulong height, ulong genesis)
    {
        var value = genesis;
        foreach (var e in Entries)
            if (e.Parameter == parameter && e.FromHeight <= height) value = e.Value;
        return value;
    }

    /// <summary>The schedule with <paramref name="parameter"/> taking <paramref name="value"/> from <paramref name="height"/> (replacing a value set for that same height).</summary>
    public ParameterSchedule With(string parameter, ulong value, ulong height) =>
        new([.. Entries.Where(e => !(e.Parameter == parameter && e.FromHeight == height)), new ScheduledParameter(parameter, value, height)]);

    public byte[] Encode()
    {
        var w = new ProtoWriter(64 * Entries.Count + 8);
        foreach (var e in Entries)
        {
            var entry = new ProtoWriter(64);
            entry.WriteString(1, e.Parameter);
            entry.WriteUInt64(2, e.Value);
            entry.WriteUInt64(3, e.FromHeight);
            w.WriteLengthDelimited(1, entry.ToArray());
        }
        return w.ToArray();
    }

    public static ParameterSchedule Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "ParameterSchedule", 1);
        var entries = new List<ScheduledParameter>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            if (field != 1) throw r.UnknownField(field);
            var e = new ProtoReader(r.ReadLengthDelimited(), "ParameterSchedule.Entry");
            string? parameter = null;
            ulong value = 0, from = 0;
            for (var f = e.ReadTag(); f != 0; f = e.ReadTag())
            {
                switch (f)
                {
                    case 1: parameter = e.ReadString(64); break;
                    case 2: value = e.ReadUInt64(); break;
                    case 3: from = e.ReadUInt64(); break;
                    default: throw e.UnknownField(f);
                }
            }
            entries.Add(new ScheduledParameter(parameter ?? throw e.Missing("ParameterSchedule.Entry.parameter"), value, from));
        }
        return new ParameterSchedule(entries);
    }
}
