using System.Globalization;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.TestKit.Builders;

/// <summary>
/// A seeded, realistic labour-contract history across all 21 cities of Guangdong, as certified blocks of a
/// <see cref="TestNetwork"/>: employers of Pareto-distributed size registered in counties of cities weighted like the
/// province's workforce (Shenzhen, Guangzhou, Dongguan, Foshan first), one GB/T 4754 class each; contracts registered
/// and signed (in one tx or two), uploaded on paper, changed, renewed, dissolved on the bases of arts. 36-41 and
/// terminated on those of art. 44, at places of work in villages of the employer's county; a few txs refused by the
/// chain (receipt code, no fact). Every event that must become a fact is recorded in <see cref="Events"/>, so a test
/// knows the exact counts. Statement endorsements carry real employer and worker certificates; their signatures are
/// placeholders, since the indexer trusts admission for them and checks only the blocks' commit certificates.
/// </summary>
public sealed class ContractHistory
{
    /// <summary>One event that must become one fact.</summary>
    public sealed record Event(ulong Height, int TxIndex, ContractAction Action, string Village, string Employer, DateTimeOffset Time,
        ContractAction Concluded, DissolutionBasis? Basis, TerminationReason? Reason, bool Opened, bool Closed)
    {
        /// <summary>The employer's GB/T 4754 code as on chain (its first letter is the section).</summary>
        public string Industry { get; init; } = "";

        /// <summary>The contract type of the version the event concerns.</summary>
        public ContractType Type { get; init; }
    }

    /// <summary>Guangdong's 21 cities (4-digit codes), weighted like the province's workforce; Dongguan and Zhongshan have no counties.</summary>
    public static readonly (string Code, int Weight, bool NoCounties)[] Cities =
    [
        ("4401", 140, false), ("4402", 12, false), ("4403", 180, false), ("4404", 20, false), ("4405", 25, false), ("4406", 80, false),
        ("4407", 30, false), ("4408", 25, false), ("4409", 20, false), ("4412", 15, false), ("4413", 45, false), ("4414", 10, false),
        ("4415", 8, false), ("4416", 8, false), ("4417", 8, false), ("4418", 12, false), ("4419", 110, true), ("4420", 40, true),
        ("4451", 10, false), ("4452", 18, false), ("4453", 7, false),
    ];

    /// <summary>GB/T 4754-2017 classes, weighted towards manufacturing, trade and services.</summary>
    public static readonly (string Code, int Weight)[] Industries =
    [
        ("C3911", 12), ("C3670", 8), ("C1810", 8), ("C3311", 5), ("C2927", 5), ("F5123", 8), ("F5261", 6), ("E4710", 2), ("G5411", 4),
        ("E4720", 5), ("H6210", 6), ("I6510", 7), ("I6421", 3), ("K7010", 3), ("L7212", 4), ("M7320", 2), ("N7810", 2),
        ("O8010", 3), ("P8331", 2), ("Q8411", 2), ("R8610", 1), ("A0111", 1), ("B0610", 1), ("D4411", 1), ("J6620", 1), ("S9221", 1),
    ];

    private readonly Random _random;
    private readonly TestNetwork _network;
    private readonly List<Employer> _employers = [];
    private readonly TestIdentity[] _workerCertificates;
    private readonly List<Live> _pending = [];
    private readonly List<Live> _effective = [];
    private readonly Dictionary<string, int> _contractsPerEmployer = [];
    private readonly byte[] _placeholderSignature = new byte[64];
    private ulong _nonce;
    private int _contracts;
    private Hash32 _parent = Hash32.Zero;

    private sealed record Employer(string CreditCode, string County, string Industry, TestIdentity Identity, double Size);

    private sealed class Live
    {
        public required string ContractId { get; init; }
        public required Employer Employer { get; init; }
        public required string Village { get; init; }
        public required Hash32 Worker { get; init; }
        public required ContractTerms Terms { get; set; }
        public uint Version { get; set; } = 1;
        public uint InForce { get; set; }
        public bool EmployerSigned { get; set; }
        public bool WorkerSigned { get; set; }
        public ContractAction CreatedBy { get; set; } = ContractAction.Register;
    }

    public ContractHistory(TestNetwork network, int seed = 15, int employers = 400, DateTimeOffset? start = null)
    {
        _network = network;
        _random = new Random(seed);
        Start = start ?? new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero);
        _workerCertificates = [network.Worker];
        var totalWeight = Cities.Sum(c => c.Weight);
        for (var i = 0; i < employers; i++)
        {
            // Every city has employers; beyond one each, by weight.
            var city = i < Cities.Length ? Cities[i] : Pick(Cities, c => c.Weight, totalWeight);
            var county = city.NoCounties ? city.Code + "00" : city.Code + (1 + _random.Next(6)).ToString("D2", CultureInfo.InvariantCulture);
            var industry = Pick(Industries, x => x.Weight, Industries.Sum(x => x.Weight)).Code;
            var first17 = "91" + county + _random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            var creditCode = CreditCode.Parse(first17 + CreditCode.CheckCharacter(first17));
            var size = 1 / Math.Pow(1 - _random.NextDouble() * 0.999, 1 / 1.2); // Pareto, α = 1.2
            _employers.Add(new Employer(creditCode.Value, county, industry, network.Issue($"employer {i}", Role.Employer, creditCode), size));
        }
    }

    public DateTimeOffset Start { get; }

    public List<Event> Events { get; } = [];

    public ulong Height { get; private set; }

    /// <summary>The employers' credit codes and the county each is registered in.</summary>
    public IEnumerable<(string CreditCode, string County)> EmployerCounties => _employers.Select(e => (e.CreditCode, e.County));

    /// <summary>The next block: <paramref name="events"/> lifecycle events (and a few refused txs) at <paramref name="time"/>.</summary>
    public Block NextBlock(int events, DateTimeOffset time)
    {
        Height++;
        var envelopes = new List<ReadOnlyMemory<byte>>(events + events / 50 + 1);
        var receipts = new List<Receipt>(envelopes.Capacity);
        for (var i = 0; i < events; i++)
        {
            var (envelope, ev) = NextEvent(time, envelopes.Count);
            Add(envelopes, receipts, envelope, ErrorCode.Ok);
            Events.Add(ev);
            if (_random.Next(50) == 0 && _effective.Count > 0)
            {
                // A sign of a version already in force: the chain refuses it, the receipt says so, no fact.
                var live = _effective[_random.Next(_effective.Count)];
                Add(envelopes, receipts, Envelope(new SignPayload { ContractId = live.ContractId, Version = live.Version, DocumentHash = Document(live) }, live, true, true), ErrorCode.AlreadySigned);
            }
        }
        var block = TestBlocks.Build(_network, Height, envelopes, receipts, _parent, time);
        _parent = block.Header.ComputeHash(Sm3Hasher.Instance);
        return block;
    }

    /// <summary><paramref name="totalEvents"/> events in blocks of <paramref name="perBlock"/>, one block every <paramref name="interval"/>.</summary>
    public IEnumerable<Block> Blocks(int totalEvents, int perBlock, TimeSpan interval)
    {
        var time = Start;
        for (var made = 0; made < totalEvents; made += perBlock)
        {
            yield return NextBlock(Math.Min(perBlock, totalEvents - made), time);
            time += interval;
        }
    }

    private void Add(List<ReadOnlyMemory<byte>> envelopes, List<Receipt> receipts, byte[] envelope, ErrorCode code)
    {
        envelopes.Add(envelope);
        receipts.Add(new Receipt { TxId = Sm3Hasher.Instance.Hash(TxEnvelope.Decode(envelope).BodyBytes.Span), Code = code, Message = code == ErrorCode.Ok ? "" : code.ToString() });
    }

    private (byte[] Envelope, Event Event) NextEvent(DateTimeOffset time, int index)
    {
        var roll = _random.NextDouble();
        // Keep the books balanced: new contracts while few are open, closures and changes once many are.
        if (_pending.Count > 0 && roll < 0.30) return Sign(time, index);
        if (_effective.Count > 200 && roll < 0.42) return Close(time, index);
        if (_effective.Count > 200 && roll < 0.50) return NewVersion(time, index, _random.Next(3) == 0 ? ContractAction.Change : ContractAction.Renew);
        return _random.Next(10) == 0 ? Paper(time, index) : Register(time, index);
    }

    private Live NewContract(DateTimeOffset time, out Employer employer)
    {
        employer = PickEmployer();
        _contractsPerEmployer[employer.CreditCode] = _contractsPerEmployer.GetValueOrDefault(employer.CreditCode) + 1;
        var village = employer.County + (1 + _random.Next(12)).ToString("D3", CultureInfo.InvariantCulture) + (1 + _random.Next(20)).ToString("D3", CultureInfo.InvariantCulture);
        var day = ContractDate.FromUnixMilliseconds(time.ToUnixTimeMilliseconds());
        var typeRoll = _random.Next(100);
        var type = typeRoll < 78 ? ContractType.FixedTerm : typeRoll < 95 ? ContractType.OpenEnded : ContractType.TaskBased;
        var years = 1 + _random.Next(3);
        var end = type == ContractType.FixedTerm ? ContractDate.Create(day.Year + years, day.Month, Math.Min(day.Day, 28)) : (ContractDate?)null;
        var probation = type != ContractType.TaskBased && _random.Next(100) < 55 ? ContractDate.FromUnixMilliseconds(time.AddDays(60).ToUnixTimeMilliseconds()) : (ContractDate?)null;
        var id = string.Create(CultureInfo.InvariantCulture, $"GD-{time.Year}-{++_contracts:D8}");
        return new Live
        {
            ContractId = id,
            Employer = employer,
            Village = village,
            Worker = Sm3.Hash(System.Text.Encoding.ASCII.GetBytes(id + "/worker")),
            Terms = new ContractTerms { Type = type, Start = day, End = end, ProbationEnd = probation, PlaceOfWork = village, Industry = employer.Industry },
        };
    }

    private (byte[], Event) Register(DateTimeOffset time, int index)
    {
        var live = NewContract(time, out var employer);
        _pending.Add(live);
        var payload = new RegisterPayload
        {
            ContractId = live.ContractId, DocumentHash = Document(live), DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = employer.CreditCode, WorkerPseudonym = live.Worker, Terms = live.Terms,
        };
        return (Envelope(payload, live, false, false), Fact(ContractAction.Register, live, time, index));
    }

    private (byte[], Event) Paper(DateTimeOffset time, int index)
    {
        var live = NewContract(time, out var employer);
        live.CreatedBy = ContractAction.UploadPaper;
        live.InForce = 1;
        _effective.Add(live);
        var payload = new UploadPaperPayload
        {
            ContractId = live.ContractId, ScanHash = Document(live), ScanFormat = DocumentFormat.Pdf, EmployerCreditCode = employer.CreditCode,
            WorkerPseudonym = live.Worker, Terms = live.Terms, PaperSignedOn = live.Terms.Start,
        };
        return (Envelope(payload, live, false, false), Fact(ContractAction.UploadPaper, live, time, index) with { Concluded = ContractAction.UploadPaper, Opened = true });
    }

    private (byte[], Event) Sign(DateTimeOffset time, int index)
    {
        var at = _random.Next(_pending.Count);
        var live = _pending[at];
        // Most sign together; some sign in two txs, employer first.
        var both = _random.Next(5) != 0 || live.EmployerSigned;
        var employer = !live.EmployerSigned;
        var worker = both || live.EmployerSigned;
        live.EmployerSigned |= employer;
        live.WorkerSigned |= worker;
        var concluded = live.EmployerSigned && live.WorkerSigned;
        var opened = concluded && live.InForce == 0;
        var payload = new SignPayload { ContractId = live.ContractId, Version = live.Version, DocumentHash = Document(live) };
        var envelope = Envelope(payload, live, employer, worker);
        if (concluded)
        {
            _pending.RemoveAt(at);
            live.InForce = live.Version;
            _effective.Add(live);
        }
        return (envelope, Fact(ContractAction.Sign, live, time, index) with { Concluded = concluded ? live.CreatedBy : ContractAction.Unspecified, Opened = opened });
    }

    private (byte[], Event) NewVersion(DateTimeOffset time, int index, ContractAction action)
    {
        var at = _random.Next(_effective.Count);
        var live = _effective[at];
        _effective.RemoveAt(at);
        var baseVersion = live.Version;
        live.Version++;
        live.CreatedBy = action;
        live.EmployerSigned = live.WorkerSigned = false;
        live.Terms = action == ContractAction.Renew
            ? live.Terms with { Type = _random.Next(4) == 0 ? ContractType.OpenEnded : ContractType.FixedTerm, ProbationEnd = null }
            : live.Terms with { ProbationEnd = null };
        if (live.Terms.Type == ContractType.OpenEnded) live.Terms = live.Terms with { End = null };
        else if (live.Terms.End is null) live.Terms = live.Terms with { End = ContractDate.Create(live.Terms.Start.Year + 3, live.Terms.Start.Month, Math.Min(live.Terms.Start.Day, 28)) };
        _pending.Add(live);
        IContractPayload payload = action == ContractAction.Change
            ? new ChangePayload { ContractId = live.ContractId, BaseVersion = baseVersion, DocumentHash = Document(live), DocumentFormat = DocumentFormat.Pdf, Terms = live.Terms }
            : new RenewPayload { ContractId = live.ContractId, BaseVersion = baseVersion, DocumentHash = Document(live), DocumentFormat = DocumentFormat.Pdf, Terms = live.Terms };
        return (Envelope(payload, live, true, true), Fact(action, live, time, index));
    }

    private (byte[], Event) Close(DateTimeOffset time, int index)
    {
        var at = _random.Next(_effective.Count);
        var live = _effective[at];
        _effective.RemoveAt(at);
        var date = ContractDate.FromUnixMilliseconds(time.ToUnixTimeMilliseconds());
        if (_random.Next(100) < 62)
        {
            var basis = PickBasis();
            var payload = new DissolvePayload
            {
                ContractId = live.ContractId, Version = live.InForce, DocumentHash = Document(live), Basis = basis, EffectiveDate = date,
                ProposedBy = basis == DissolutionBasis.Art36Agreement ? Proposer.Employer : Proposer.Unspecified,
            };
            return (Envelope(payload, live, true, basis is DissolutionBasis.Art36Agreement or DissolutionBasis.Art37WorkerNotice or DissolutionBasis.Art38EmployerFault),
                Fact(ContractAction.Dissolve, live, time, index) with { Basis = basis, Closed = true });
        }
        var reason = _random.Next(100) switch { < 80 => TerminationReason.TermExpired, < 88 => TerminationReason.PensionStarted, < 90 => TerminationReason.WorkerDeceased, < 95 => TerminationReason.EmployerBankrupt, _ => TerminationReason.EmployerClosed };
        var terminate = new TerminatePayload { ContractId = live.ContractId, Version = live.InForce, DocumentHash = Document(live), Reason = reason, EffectiveDate = date };
        return (Envelope(terminate, live, true, false), Fact(ContractAction.Terminate, live, time, index) with { Reason = reason, Closed = true });
    }

    private DissolutionBasis PickBasis() => _random.Next(100) switch
    {
        < 40 => DissolutionBasis.Art36Agreement,
        < 65 => DissolutionBasis.Art37WorkerNotice,
        < 70 => DissolutionBasis.Art37WorkerNoticeInProbation,
        < 74 => DissolutionBasis.Art38EmployerFault,
        < 80 => DissolutionBasis.Art39ProbationFailed,
        < 85 => DissolutionBasis.Art39SeriousViolation,
        < 87 => DissolutionBasis.Art40Illness,
        < 91 => DissolutionBasis.Art40Incompetence,
        < 96 => DissolutionBasis.Art40ChangedCircumstances,
        _ => DissolutionBasis.Art41Layoff,
    };

    private Event Fact(ContractAction action, Live live, DateTimeOffset time, int index) =>
        new(Height, index, action, live.Village, live.Employer.CreditCode, time, ContractAction.Unspecified, null, null, false, false) { Industry = live.Employer.Industry, Type = live.Terms.Type };

    private Employer PickEmployer()
    {
        // Sized employers: the chance of each is its size, found by a cumulative walk (employers are few).
        var total = _employers.Sum(e => e.Size);
        var x = _random.NextDouble() * total;
        foreach (var e in _employers)
        {
            x -= e.Size;
            if (x <= 0) return e;
        }
        return _employers[^1];
    }

    private T Pick<T>(IReadOnlyList<T> items, Func<T, int> weight, int total)
    {
        var x = _random.Next(total);
        foreach (var item in items)
        {
            x -= weight(item);
            if (x < 0) return item;
        }
        return items[^1];
    }

    private static Hash32 Document(Live live) => Sm3.Hash(System.Text.Encoding.ASCII.GetBytes($"{live.ContractId} v{live.Version}"));

    /// <summary>An envelope submitted by the employer, with the parties' statement endorsements as named.</summary>
    private byte[] Envelope(IContractPayload payload, Live live, bool employerSigns, bool workerSigns)
    {
        var submitter = live.Employer.Identity;
        var endorsers = new List<TxEndorser> { new(submitter.Certificate.Id, EndorsementScope.Body) };
        var endorsements = new List<Endorsement> { new() { Certificate = submitter.Certificate.Der, Signature = _placeholderSignature, Scope = EndorsementScope.Body } };
        if (employerSigns)
        {
            endorsers.Add(new TxEndorser(submitter.Certificate.Id, EndorsementScope.Statement));
            endorsements.Add(new Endorsement { Certificate = submitter.Certificate.Der, Signature = _placeholderSignature, Scope = EndorsementScope.Statement });
        }
        if (workerSigns)
        {
            var worker = _workerCertificates[_random.Next(_workerCertificates.Length)];
            endorsers.Add(new TxEndorser(worker.Certificate.Id, EndorsementScope.Statement));
            endorsements.Add(new Endorsement { Certificate = worker.Certificate.Der, Signature = _placeholderSignature, Scope = EndorsementScope.Statement });
        }
        var body = ContractPayloads.CreateBody(payload, _network.ChainId, ++_nonce, Start.AddYears(10).ToUnixTimeMilliseconds(), submitter.Certificate.Id, endorsers).Encode();
        return new TxEnvelope { BodyBytes = body, Endorsements = endorsements }.Encode();
    }
}
