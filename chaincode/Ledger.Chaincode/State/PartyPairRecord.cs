using Ledger.Core.Wire;

namespace Ledger.Chaincode.State;

/// <summary>
/// What the law remembers about one employer and one worker commitment across contracts:
/// <c>PartyPair { consecutive_fixed_terms = 1, probation_agreed = 2 }</c>. The streak counts concluded
/// fixed-term contracts (registrations, renewals, paper uploads) since the last contract of another type
/// (art. 14 para. 2 (3)); probation may be agreed only once per pair (art. 19 para. 2).
/// </summary>
public sealed record PartyPairRecord(uint ConsecutiveFixedTerms, bool ProbationAgreed)
{
    public static readonly PartyPairRecord Empty = new(0, false);

    public bool IsEmpty => ConsecutiveFixedTerms == 0 && !ProbationAgreed;

    public byte[] Encode()
    {
        var w = new ProtoWriter(8);
        w.WriteUInt32(1, ConsecutiveFixedTerms);
        w.WriteBool(2, ProbationAgreed);
        return w.ToArray();
    }

    public static PartyPairRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "PartyPair");
        uint streak = 0;
        var probation = false;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: streak = r.ReadUInt32(); break;
                case 2: probation = r.ReadBool(); break;
                default: throw r.UnknownField(field);
            }
        }
        return new PartyPairRecord(streak, probation);
    }
}
