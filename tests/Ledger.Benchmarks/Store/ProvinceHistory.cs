using System.Globalization;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;

namespace Ledger.Benchmarks.Store;

/// <summary>
/// A province's labour-contract history as real, signed txs: the root CA, the 21 city CAs of Guangdong in genesis, one
/// validator, employers of Pareto-distributed size in counties of cities weighted like the province's workforce (each with
/// an Employer certificate from its city's CA), and a pool of workers with Worker certificates naming their pseudonyms.
/// Events follow tests/Ledger.TestKit's ContractHistory mix — register then sign (together, or employer first), paper
/// uploads, changes and renewals, dissolutions by basis (arts. 36–41), terminations (art. 44) — but every endorsement is a
/// real SM2 signature over the real statement, so admission and the chaincode accept them as they would a city's.
/// <see cref="Plan"/> is sequential and seeded (it decides the lifecycle); <see cref="Sign"/> is pure and runs in parallel.
/// </summary>
internal sealed class ProvinceHistory
{
    // The cities and industries, with their weights, of the TestKit generator the analytics tests count against.
    private static readonly (string Code, int Weight, bool NoCounties)[] Cities = ContractHistory.Cities;
    private static readonly (string Code, int Weight)[] Industries = ContractHistory.Industries;

    /// <summary>One tx to sign: its payload, the employer that submits it and the parties whose statement signatures it carries.</summary>
    public sealed record PlannedTx(IContractPayload Payload, TestParty Submitter, TestParty[] StatementSigners, ulong Nonce, ContractAction Action);

    private sealed record Employer(string CreditCode, string County, string Industry, TestParty Party, double Size);

    private sealed class Live
    {
        public required string ContractId { get; init; }
        public required Employer Employer { get; init; }
        public required TestParty Worker { get; init; }
        public required ContractTerms Terms { get; set; }
        public uint Version { get; set; } = 1;
        public uint InForce { get; set; }
        public bool EmployerSigned { get; set; }
        public ContractAction CreatedBy { get; set; } = ContractAction.Register;
    }

    private readonly Random _random;
    private readonly List<Employer> _employers = [];
    private readonly double[] _cumulativeSize;
    private readonly TestParty[] _workers;
    private readonly List<Live> _pending = [];
    private readonly List<Live> _effective = [];
    private readonly DateTimeOffset _now;
    private ulong _nonce;
    private int _contracts;

    public ProvinceHistory(int seed, int employers, int workers)
    {
        _random = new Random(seed);
        _now = DateTimeOffset.UtcNow;
        var notBefore = _now.AddDays(-1);
        var notAfter = _now.AddYears(2);
        var rootKey = Sm2PrivateKey.Generate();
        var root = CertificateAuthority.CreateRoot("Guangdong HRSS Root CA", DivisionCode.Parse("440000"), rootKey, notBefore, notAfter.AddYears(1));
        var cityCas = Cities.ToDictionary(c => c.Code, c => root.IssueIntermediate($"HRSS CA {c.Code}", DivisionCode.Parse(c.Code + "00"), Sm2PrivateKey.Generate(), notBefore, notAfter));
        Authorities = [root.Certificate, .. cityCas.Values.Select(c => c.Certificate)];
        Root = root.Certificate;
        ValidatorKey = Sm2PrivateKey.Generate();
        var validatorCertificate = root.Issue(new CertificateRequest("validator-0", Role.Validator, DivisionCode.Parse("440000"), ValidatorKey.PublicKey, notBefore, notAfter));
        Validator = new TestParty("guangdong", ValidatorKey, validatorCertificate);
        ChainId = "gd-scale";
        Genesis = new GenesisDocument
        {
            ChainId = ChainId,
            NetworkName = "scale",
            GenesisTime = _now.AddMinutes(-1).ToUnixTimeMilliseconds(),
            RootCertificate = root.Certificate.ToPem(),
            IntermediateCertificates = cityCas.Values.Select(c => c.Certificate.ToPem()).ToArray(),
            Validators = [new GenesisValidator("guangdong", "440000", validatorCertificate.ToPem())],
            Consensus = new ConsensusParameters { BlockIntervalMs = 100 },
        };
        GenesisBytes = System.Text.Encoding.UTF8.GetBytes(Genesis.ToJson());

        var totalWeight = Cities.Sum(c => c.Weight);
        for (var i = 0; i < employers; i++)
        {
            var city = i < Cities.Length ? Cities[i] : Pick(Cities, c => c.Weight, totalWeight);
            var county = city.NoCounties ? city.Code + "00" : city.Code + (1 + _random.Next(6)).ToString("D2", CultureInfo.InvariantCulture);
            var industry = Pick(Industries, x => x.Weight, Industries.Sum(x => x.Weight)).Code;
            var first17 = "91" + county + _random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            var creditCode = CreditCode.Parse(first17 + CreditCode.CheckCharacter(first17));
            var size = 1 / Math.Pow(1 - _random.NextDouble() * 0.999, 1 / 1.2); // Pareto, α = 1.2
            var key = Sm2PrivateKey.Generate();
            var certificate = cityCas[city.Code].Issue(new CertificateRequest($"employer {i}", Role.Employer, DivisionCode.Parse(county), key.PublicKey, notBefore, notAfter, creditCode));
            _employers.Add(new Employer(creditCode.Value, county, industry, new TestParty($"employer {i}", key, certificate), size));
        }
        _cumulativeSize = new double[_employers.Count];
        var sum = 0.0;
        for (var i = 0; i < _employers.Count; i++) _cumulativeSize[i] = sum += _employers[i].Size;

        // Workers from every city's CA; a worker may hold several contracts over the years (one pseudonym each).
        var cityCodes = Cities.Select(c => c.Code).ToArray();
        _workers = Enumerable.Range(0, workers).AsParallel().AsOrdered().Select(i =>
        {
            var ca = cityCas[cityCodes[i % cityCodes.Length]];
            var key = Sm2PrivateKey.Generate();
            var certificate = ca.Issue(new CertificateRequest("worker", Role.Worker, ca.Certificate.Division, key.PublicKey, notBefore, notAfter, null,
                TestConsortium.WorkerPseudonym($"scale-worker-{i}")));
            return new TestParty($"worker {i}", key, certificate);
        }).ToArray();
    }

    public string ChainId { get; }
    public GenesisDocument Genesis { get; }
    public byte[] GenesisBytes { get; }
    public LedgerCertificate Root { get; }
    public IReadOnlyList<LedgerCertificate> Authorities { get; }
    public Sm2PrivateKey ValidatorKey { get; }
    public TestParty Validator { get; }

    public CertificateChainValidator ChainValidator() => new(Root, Authorities.Skip(1).ToArray(), []);

    /// <summary>The next <paramref name="count"/> events of the province, at <paramref name="time"/> (block time about now).</summary>
    public List<PlannedTx> Plan(int count, DateTimeOffset time)
    {
        var planned = new List<PlannedTx>(count);
        for (var i = 0; i < count; i++) planned.Add(NextEvent(time));
        return planned;
    }

    /// <summary>The envelope bytes of a planned tx: body signed by the submitter, the statement by each party. Thread-safe.</summary>
    public byte[] Sign(PlannedTx tx, DateTimeOffset expiresAt)
    {
        var statement = ContractPayloads.StatementFor(tx.Payload, ChainId, Sm3Hasher.Instance).SigningMessage();
        var statements = tx.StatementSigners.Select(s => new Endorsement { Certificate = s.Certificate!.Der, Signature = s.Key.Sign(statement), Scope = EndorsementScope.Statement }).ToList();
        TxEndorser[] endorsers = [new(tx.Submitter.Certificate!.Id, EndorsementScope.Body), .. statements.Select(e => TxEndorser.Of(e, Sm3Hasher.Instance))];
        var body = ContractPayloads.CreateBody(tx.Payload, ChainId, tx.Nonce, expiresAt.ToUnixTimeMilliseconds(), tx.Submitter.Certificate.Id, endorsers).Encode();
        var endorsements = new List<Endorsement> { new() { Certificate = tx.Submitter.Certificate.Der, Signature = tx.Submitter.Key.Sign(body), Scope = EndorsementScope.Body } };
        endorsements.AddRange(statements);
        return new TxEnvelope { BodyBytes = body, Endorsements = endorsements }.Encode();
    }

    private PlannedTx NextEvent(DateTimeOffset time)
    {
        var roll = _random.NextDouble();
        // The books balance as in ContractHistory: signatures while contracts wait, closures and new versions once many are open.
        if (_pending.Count > 0 && roll < 0.30) return Sign();
        if (_effective.Count > 200 && roll < 0.42) return Close(time);
        if (_effective.Count > 200 && roll < 0.50) return NewVersion(_random.Next(3) == 0 ? ContractAction.Change : ContractAction.Renew);
        return _random.Next(10) == 0 ? Paper(time) : Register(time);
    }

    private Live NewContract(DateTimeOffset time)
    {
        var employer = PickEmployer();
        var village = employer.County + (1 + _random.Next(12)).ToString("D3", CultureInfo.InvariantCulture) + (1 + _random.Next(20)).ToString("D3", CultureInfo.InvariantCulture);
        var day = ContractDate.FromUnixMilliseconds(time.ToUnixTimeMilliseconds());
        var typeRoll = _random.Next(100);
        var type = typeRoll < 78 ? ContractType.FixedTerm : typeRoll < 95 ? ContractType.OpenEnded : ContractType.TaskBased;
        var years = 1 + _random.Next(3);
        var end = type == ContractType.FixedTerm ? ContractDate.Create(day.Year + years, day.Month, Math.Min(day.Day, 28)) : (ContractDate?)null;
        var probation = type != ContractType.TaskBased && _random.Next(100) < 55 ? ContractDate.FromUnixMilliseconds(time.AddDays(60).ToUnixTimeMilliseconds()) : (ContractDate?)null;
        var id = string.Create(CultureInfo.InvariantCulture, $"GD-{time.Year}-{++_contracts:D9}");
        var worker = _workers[_random.Next(_workers.Length)];
        return new Live
        {
            ContractId = id,
            Employer = employer,
            Worker = worker,
            Terms = new ContractTerms { Type = type, Start = day, End = end, ProbationEnd = probation, PlaceOfWork = village, Industry = employer.Industry },
        };
    }

    private PlannedTx Register(DateTimeOffset time)
    {
        var live = NewContract(time);
        _pending.Add(live);
        var payload = new RegisterPayload
        {
            ContractId = live.ContractId, DocumentHash = Document(live), DocumentFormat = DocumentFormat.Pdf,
            EmployerCreditCode = live.Employer.CreditCode, WorkerPseudonym = live.Worker.Certificate!.WorkerPseudonym!.Value, Terms = live.Terms,
        };
        return Planned(payload, live, [], ContractAction.Register);
    }

    private PlannedTx Paper(DateTimeOffset time)
    {
        var live = NewContract(time);
        live.CreatedBy = ContractAction.UploadPaper;
        live.InForce = 1;
        _effective.Add(live);
        var payload = new UploadPaperPayload
        {
            ContractId = live.ContractId, ScanHash = Document(live), ScanFormat = DocumentFormat.Pdf, EmployerCreditCode = live.Employer.CreditCode,
            WorkerPseudonym = live.Worker.Certificate!.WorkerPseudonym!.Value, Terms = live.Terms, PaperSignedOn = live.Terms.Start,
        };
        return Planned(payload, live, [], ContractAction.UploadPaper);
    }

    private PlannedTx Sign()
    {
        var at = _random.Next(_pending.Count);
        var live = _pending[at];
        // Most sign together; one in five signs in two txs, employer first.
        var employer = !live.EmployerSigned;
        var worker = _random.Next(5) != 0 || live.EmployerSigned;
        live.EmployerSigned = true;
        if (worker)
        {
            _pending.RemoveAt(at);
            live.InForce = live.Version;
            _effective.Add(live);
        }
        TestParty[] signers = (employer, worker) switch
        {
            (true, true) => [live.Employer.Party, live.Worker],
            (true, false) => [live.Employer.Party],
            _ => [live.Worker],
        };
        return Planned(new SignPayload { ContractId = live.ContractId, Version = live.Version, DocumentHash = Document(live) }, live, signers, ContractAction.Sign);
    }

    private PlannedTx NewVersion(ContractAction action)
    {
        var at = _random.Next(_effective.Count);
        var live = _effective[at];
        // Only a fixed-term contract is renewed (for the term after its end); any other is changed.
        if (live.Terms is not { Type: ContractType.FixedTerm, End: { } end }) action = ContractAction.Change;
        _effective.RemoveAt(at);
        var baseVersion = live.Version;
        live.Version++;
        live.CreatedBy = action;
        live.EmployerSigned = false;
        if (action == ContractAction.Renew)
        {
            var after = new DateTimeOffset(live.Terms.End!.Value.Year, live.Terms.End.Value.Month, live.Terms.End.Value.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1);
            var start = ContractDate.FromUnixMilliseconds(after.ToUnixTimeMilliseconds());
            live.Terms = _random.Next(4) == 0
                ? live.Terms with { Type = ContractType.OpenEnded, Start = start, End = null, ProbationEnd = null }
                : live.Terms with { Start = start, End = ContractDate.Create(start.Year + 3, start.Month, Math.Min(start.Day, 28)), ProbationEnd = null };
        }
        else
        {
            live.Terms = live.Terms with { ProbationEnd = null };
        }
        _pending.Add(live);
        IContractPayload payload = action == ContractAction.Change
            ? new ChangePayload { ContractId = live.ContractId, BaseVersion = baseVersion, DocumentHash = Document(live), DocumentFormat = DocumentFormat.Pdf, Terms = live.Terms }
            : new RenewPayload { ContractId = live.ContractId, BaseVersion = baseVersion, DocumentHash = Document(live), DocumentFormat = DocumentFormat.Pdf, Terms = live.Terms };
        return Planned(payload, live, [], action);
    }

    private PlannedTx Close(DateTimeOffset time)
    {
        var at = _random.Next(_effective.Count);
        var live = _effective[at];
        _effective.RemoveAt(at);
        var date = ContractDate.FromUnixMilliseconds(time.ToUnixTimeMilliseconds());
        if (_random.Next(100) < 62)
        {
            var basis = PickBasis();
            // The probation bases only while a probation runs; otherwise the parties agree (art. 36).
            if (basis is DissolutionBasis.Art37WorkerNoticeInProbation or DissolutionBasis.Art39ProbationFailed && !(live.Terms.ProbationEnd is { } probation && probation >= date))
                basis = DissolutionBasis.Art36Agreement;
            var payload = new DissolvePayload
            {
                ContractId = live.ContractId, Version = live.InForce, DocumentHash = Document(live), Basis = basis, EffectiveDate = date,
                ProposedBy = basis == DissolutionBasis.Art36Agreement ? Proposer.Employer : Proposer.Unspecified,
            };
            var workerSigns = basis is DissolutionBasis.Art36Agreement or DissolutionBasis.Art37WorkerNotice or DissolutionBasis.Art37WorkerNoticeInProbation or DissolutionBasis.Art38EmployerFault;
            return Planned(payload, live, workerSigns ? [live.Worker] : [], ContractAction.Dissolve);
        }
        // No term ends within the minutes of simulated history, so no TermExpired (art. 44(1)): the other art. 44 reasons.
        var reason = _random.Next(100) switch { < 50 => TerminationReason.PensionStarted, < 60 => TerminationReason.WorkerDeceased, < 80 => TerminationReason.EmployerBankrupt, _ => TerminationReason.EmployerClosed };
        return Planned(new TerminatePayload { ContractId = live.ContractId, Version = live.InForce, DocumentHash = Document(live), Reason = reason, EffectiveDate = date }, live, [], ContractAction.Terminate);
    }

    private PlannedTx Planned(IContractPayload payload, Live live, TestParty[] signers, ContractAction action) => new(payload, live.Employer.Party, signers, ++_nonce, action);

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

    private Employer PickEmployer()
    {
        var x = _random.NextDouble() * _cumulativeSize[^1];
        var at = Array.BinarySearch(_cumulativeSize, x);
        return _employers[Math.Min(at < 0 ? ~at : at, _employers.Count - 1)];
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
}
