using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Tests.Support;

/// <summary>
/// A seeded generator of contract txs over a few contract ids: mostly plausible (right version, right hash,
/// the employer submitting, lawful dates) so sequences reach deep states, with enough wrong parts (other
/// versions, strangers, bad dates, other worker keys) that every rule gets exercised.
/// </summary>
public sealed class RandomActions(int seed)
{
    public static readonly string[] Ids = ["P-1", "P-2", "P-3"];

    private static readonly SignerIdentity[] OtherSubmitters =
    [
        Parties.EmployerB, Parties.Integrator, Parties.GuangzhouBureau, Parties.ShenzhenBureau, Parties.ProvinceBureau,
        Parties.Court, Parties.CertifiedWorker(Parties.Worker1), Parties.CertifiedWorker(Parties.Worker2),
    ];

    private static readonly string[] Places = ["440106000000", "440104000000", "440305000000", "441900000000"];
    private static readonly string[] BadPlaces = ["440100000000", "110105000000", "4401"];

    private readonly Random _random = new(seed);
    private readonly string[] _slots = [.. Ids];
    private int _created;

    /// <summary>Sends one random tx to <paramref name="chain"/> and returns the contract id it was about.</summary>
    public (string Id, ContractAction Action, ExecutionResultView Result) Step(TestChain chain)
    {
        chain.BlockTime += _random.Next(0, 40) * 86_400_000L;
        var slot = _random.Next(_slots.Length);
        var record = chain.Find(_slots[slot]);
        if (record is { IsClosed: true } && _random.Next(100) < 80)
        {
            _slots[slot] = $"P-{seed}-{++_created}"; // move on to a new contract; now and then still poke the closed one
            record = null;
        }
        var id = _slots[slot];
        var payload = NextPayload(id, record);
        var submitter = _random.Next(100) < 75 ? Parties.EmployerA : OtherSubmitters[_random.Next(OtherSubmitters.Length)];
        var result = chain.Submit(payload, submitter, Signers());
        return (id, payload.Action, new ExecutionResultView(result.Code, result.Warnings));
    }

    private IContractPayload NextPayload(string id, Ledger.Chaincode.State.ContractRecord? record)
    {
        var roll = _random.Next(100);
        if (record is null)
            return roll < 70 ? Make.Register(id, Terms(null)) : roll < 92 ? Make.Paper(id, Terms(null), signedOn: PaperDate()) : Make.Sign(id, 1, Make.Doc(id, 1));
        var latest = record.Latest;
        var inForce = record.InForce ?? latest;
        // Favour what the status allows, but keep sending everything else too.
        if (record.Status == ContractStatus.PendingConfirmation && roll < 45) return Confirm(id, latest);
        if (record.Status != ContractStatus.Effective && roll < 45) return Sign(id, latest);
        return (roll % 50) switch
        {
            < 5 => Sign(id, latest),
            < 15 => Make.Change(id, Pick(latest.Number), Terms(inForce.Terms), docNumber: _random.Next(2, 1000)),
            < 27 => Make.Renew(id, Pick(latest.Number), RenewalTerms(inForce.Terms)),
            < 37 => Make.Dissolve(id, Pick(inForce.Number), PickHash(inForce.DocumentHash), Pick<DissolutionBasis>(), After(inForce.Terms.Start, 400).ToString()),
            < 45 => Make.Terminate(id, Pick(inForce.Number), PickHash(inForce.DocumentHash), Pick<TerminationReason>(),
                After(inForce.Terms.End ?? inForce.Terms.Start, 60, earlier: 30).ToString()),
            < 47 => Make.Register(id, Terms(null)),
            < 48 => Confirm(id, latest),
            _ => Make.Paper(id, Terms(null), signedOn: PaperDate()),
        };
    }

    /// <summary>A confirmation, now and then of another scan or with an archive reference (a bureau's, or anyone's).</summary>
    private ConfirmPaperPayload Confirm(string id, Ledger.Chaincode.State.ContractVersion latest) =>
        Make.Confirm(id, PickHash(latest.DocumentHash), _random.Next(100) < 30 ? "GZ-ARCHIVE-2024-0042" : null);

    private SignPayload Sign(string id, Ledger.Chaincode.State.ContractVersion latest) =>
        Make.Sign(id, Pick(latest.Number), PickHash(latest.DocumentHash));

    private SignerIdentity[] Signers()
    {
        var signers = new List<SignerIdentity>();
        if (_random.Next(100) < 70) signers.Add(Parties.EmployerA);
        if (_random.Next(100) < 60) signers.Add(Parties.Worker1);
        if (_random.Next(100) < 10) signers.Add(Parties.Worker2);
        if (_random.Next(100) < 4) signers.Add(Parties.EmployerB);
        if (_random.Next(100) < 3) signers.Add(Parties.GuangzhouBureau);
        return [.. signers];
    }

    private uint Pick(uint right) => _random.Next(100) < 88 ? right : (uint)_random.Next(1, 5);

    private Hash32 PickHash(Hash32 right) => _random.Next(100) < 90 ? right : Parties.Hash("stray " + _random.Next(3));

    private T Pick<T>() where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        return values[_random.Next(1, values.Length)]; // index 0 is Unspecified
    }

    private ContractTerms Terms(ContractTerms? current)
    {
        var start = current?.Start ?? ContractDate.Create(2024, 1 + _random.Next(12), 1 + _random.Next(28));
        return Terms(start);
    }

    private ContractTerms RenewalTerms(ContractTerms current) =>
        Terms(current.End is { } end ? end.AddDays(_random.Next(100) < 85 ? 1 : _random.Next(-5, 40)) : current.Start.AddDays(400));

    private ContractTerms Terms(ContractDate start)
    {
        var typeRoll = _random.Next(100);
        var type = typeRoll < 70 ? ContractType.FixedTerm : typeRoll < 85 ? ContractType.OpenEnded : ContractType.TaskBased;
        ContractDate? end = type switch
        {
            ContractType.FixedTerm => _random.Next(100) < 95 ? start.AddMonths(_random.Next(1, 48)).AddDays(-1) : (_random.Next(2) == 0 ? null : start.AddDays(-3)),
            ContractType.OpenEnded => _random.Next(100) < 95 ? null : start.AddMonths(12),
            _ => _random.Next(2) == 0 ? null : start.AddMonths(_random.Next(1, 24)),
        };
        ContractDate? probation = _random.Next(100) < 45 ? start.AddMonths(_random.Next(0, 8)).AddDays(_random.Next(-2, 2)) : null;
        return new ContractTerms
        {
            Type = type,
            Start = start,
            End = end,
            ProbationEnd = probation,
            PlaceOfWork = _random.Next(100) < 92 ? Places[_random.Next(Places.Length)] : BadPlaces[_random.Next(BadPlaces.Length)],
            Industry = _random.Next(100) < 95 ? "C3911" : "Z9",
            ModelTextId = _random.Next(100) < 20 ? "GD-HRSS-2024" : null,
        };
    }

    private ContractDate After(ContractDate date, int days, int earlier = 3) => date.AddDays(_random.Next(-earlier, days));

    private string PaperDate() => _random.Next(100) < 90 ? "2023-12-01" : "2099-01-01";
}
