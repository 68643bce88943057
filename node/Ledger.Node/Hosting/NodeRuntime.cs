using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Governance;
using Ledger.Chain.Journal;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chain.Revocation;
using Ledger.Chain.Validation;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Node.Observer;
using Ledger.Chaincode;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Ledger.Consensus;
using Ledger.Network;
using Ledger.Node.Config;
using Ledger.Node.Qbft;
using Ledger.Storage;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>
/// Everything a validator runs, wired from its config: key and certificate, genesis, the store (LiteDB or RocksDB),
/// admission, pool, chaincode, execution and block production. Transport-free, so tests can drive it
/// directly; <see cref="NodeHost"/> puts gRPC and HTTP in front of it.
/// </summary>
public sealed class NodeRuntime : IDisposable
{
    private readonly IKeyValueStore _kv;
    private readonly NodeIdentity _identity;
    private string _dataDir = "";

    private readonly AppendLog? _wal;
    private SigningWatermarkFile? _watermark;
    private IReadOnlyList<NodeIdentity> _next = [];
    private readonly ITxJournal _journal;

    private NodeRuntime(IKeyValueStore kv, ITxJournal journal, NodeIdentity identity, LedgerChain chain, Func<CancellationToken, Task> production, PeerNetwork? network, ConsensusDriver? driver, AppendLog? wal,
        CertificateChainValidator chainValidator)
    {
        ChainValidator = chainValidator;
        _kv = kv;
        _journal = journal;
        _identity = identity;
        Chain = chain;
        RunProductionAsync = production;
        Network = network;
        Driver = driver;
        _wal = wal;
    }

    /// <summary>The tx journal's file in the data directory: admitted txs, fsynced before Submit answers OK.</summary>
    public const string JournalFileName = "tx.journal";

    public LedgerChain Chain { get; }

    /// <summary>What the node serves its clients: the chain itself, or for an observer its copy with submissions forwarded upstream.</summary>
    public ILedgerApi Api
    {
        get => _api ?? Chain;
        private init => _api = value;
    }

    private readonly ILedgerApi? _api;
    private UpstreamNodes? _upstream;

    /// <summary>An observer's follower (null for a validator).</summary>
    public ChainFollower? Follower { get; private init; }

    /// <summary>Certificates against the genesis root and the configured CRLs: for endorsements and for callers.</summary>
    public CertificateChainValidator ChainValidator { get; }

    /// <summary>Solo production for a network of one validator; QBFT with peers otherwise.</summary>
    public Func<CancellationToken, Task> RunProductionAsync { get; }

    /// <summary>The peer network, in a consortium (served by <see cref="PeerGrpcService"/> on the gRPC port).</summary>
    public PeerNetwork? Network { get; }

    public ConsensusDriver? Driver { get; }

    /// <summary>This node's name and validator certificate (admin requests are checked against its key).</summary>
    public string Name => _identity.Name;

    public LedgerCertificate Certificate => _identity.Certificate;

    /// <summary>
    /// A consistent copy of the node's store as of one committed block, taken while the node goes on committing: LiteDB's
    /// file (<see cref="LiteDbKeyValueStore.OpenSnapshot"/>) or a RocksDB checkpoint in the data directory.
    /// </summary>
    public Admin.StoreSnapshot OpenStoreSnapshot() => _kv switch
    {
        LiteDbKeyValueStore lite => Admin.StoreSnapshot.Of(lite),
        RocksDbKeyValueStore rocks => Admin.StoreSnapshot.Of(rocks, _dataDir),
        _ => throw new InvalidOperationException($"no online snapshot of a {_kv.GetType().Name}"),
    };

    /// <summary>"litedb" or "rocksdb": the engine under the node's store.</summary>
    public string StoreEngine => _kv is RocksDbKeyValueStore ? "rocksdb" : "litedb";

    /// <summary>The store's file in the data directory.</summary>
    public const string StoreFileName = "ledger.db";

    /// <summary>The store's directory in the data directory when the config says <c>store: "rocksdb"</c>.</summary>
    public const string RocksDbDirectoryName = "ledger.rocksdb";

    /// <summary>
    /// Opens the store engine the config names. A data directory holding the other engine's store is refused, so a
    /// changed config never starts an empty chain beside the real one.
    /// </summary>
    public static IKeyValueStore OpenStore(NodeConfig config)
    {
        var dataDir = config.Resolve(config.DataDir);
        Directory.CreateDirectory(dataDir);
        var liteDb = Path.Combine(dataDir, StoreFileName);
        var rocksDb = Path.Combine(dataDir, RocksDbDirectoryName);
        if (config.UsesRocksDb)
        {
            if (File.Exists(liteDb))
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"the config says store \"rocksdb\" but {dataDir} holds a LiteDB store ({StoreFileName}); the engines do not convert in place");
            // A checkpoint an online backup left behind (the node stopped while streaming it): hard links, no longer needed.
            foreach (var stale in Directory.EnumerateDirectories(dataDir, "backup-*.rocksdb")) Directory.Delete(stale, recursive: true);
            return new RocksDbKeyValueStore(rocksDb);
        }
        if (Directory.Exists(rocksDb))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{dataDir} holds a RocksDB store ({RocksDbDirectoryName}); set store: \"rocksdb\" in the config to open it");
        return new LiteDbKeyValueStore(liteDb);
    }

    /// <summary>The consensus WAL's file in the data directory.</summary>
    public const string WalFileName = "consensus.wal";

    public static NodeRuntime Open(NodeConfig config, ILoggerFactory loggers, TimeProvider? time = null, NodeTransport? transport = null)
    {
        var runtime = OpenRuntime(config, loggers, time, transport);
        runtime._dataDir = config.Resolve(config.DataDir);
        return runtime;
    }

    private static NodeRuntime OpenRuntime(NodeConfig config, ILoggerFactory loggers, TimeProvider? time, NodeTransport? transport)
    {
        time ??= TimeProvider.System;
        var genesisBytes = ReadFile(config.Resolve(config.Genesis), "genesis");
        var genesis = GenesisDocument.FromJson(System.Text.Encoding.UTF8.GetString(genesisBytes));
        var hasher = Sm3Hasher.Instance;

        var certificate = LedgerCertificate.FromPem(System.Text.Encoding.UTF8.GetString(ReadFile(config.Resolve(config.Certificate), "certificate")));
        var key = LoadKey(config);
        if (key.PublicKey != certificate.PublicKey)
            throw new LedgerException(ErrorCode.InvalidCertificate, "the node's key does not match its certificate");
        var identity = new NodeIdentity(config.Name, certificate, key);

        var validators = new ValidatorSets(genesis, hasher);
        var observer = certificate.Role == Role.Observer;
        var next = LoadNext(config, certificate, observer);
        if (certificate.Role != Role.Validator && !observer)
            throw new LedgerException(ErrorCode.WrongCertificateRole,
                $"{config.Name}'s certificate has the role {certificate.Role}; a node runs with a validator certificate (or an observer certificate, to follow the chain)");
        if (observer && config.Upstream.Count == 0)
            throw new LedgerException(ErrorCode.MissingField, $"{config.Name} runs with an observer certificate: its config must name the validators it follows (upstream)");
        // A validator certificate not in genesis's set is one governance may vote in: the node starts, follows, and
        // decides once its height comes (its peers accept it from the vote on). A one-validator chain has no governance.
        if (!observer && validators.Genesis.Count == 1 && validators.Genesis.Find(certificate.Id) is null)
            throw new LedgerException(ErrorCode.UnknownValidator, $"{config.Name}'s certificate is not the validator of {genesis.ChainId}, a one-validator chain");

        var root = LedgerCertificate.FromPem(genesis.RootCertificate);
        var crls = config.Crls.Select(path => CertificateRevocationList.FromPem(System.Text.Encoding.UTF8.GetString(ReadFile(config.Resolve(path), "CRL")))).ToArray();
        LedgerCertificate[] authorities = [root, .. genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem)];
        var chainValidator = new CertificateChainValidator(root, authorities[1..], crls);
        var own = chainValidator.Validate(certificate, time.GetUtcNow());
        if (!own.IsValid) throw new LedgerException(own.Code, $"the node's certificate: {own.Reason}");
        if (next is not null && chainValidator.Validate(next.Certificate, time.GetUtcNow()) is { IsValid: false } nextValid)
        {
            next.Key.Dispose();
            throw new LedgerException(nextValid.Code, $"the node's next certificate: {nextValid.Reason}");
        }

        var kv = OpenStore(config);
        ITxJournal? journal = null;
        try
        {
            journal = new TxJournal(Path.Combine(config.Resolve(config.DataDir), JournalFileName), time);
            var store = new BlockStore(kv, hasher);
            var chaincode = new LabourContractChaincode(LabourContractOptions.FromGenesis(genesis));
            var metrics = new ChainMetrics();
            var certificates = new CertificateRegistry(chainValidator, hasher);
            var admission = new TxAdmission(genesis.ChainId, chaincode, certificates, hasher, new StoreReplayIndex(store));
            var pool = new Mempool(config.Mempool?.ToOptions("config.json") ?? new MempoolOptions(), time);
            var chain = new LedgerChain(config.Name, genesis, genesisBytes, store, admission, pool, validators, hasher, time, metrics, journal);
            // Before serving: what this node acknowledged before it stopped or crashed goes back into the pool.
            var (readmitted, dropped) = chain.RecoverJournal();
            if (readmitted + dropped > 0)
                loggers.CreateLogger<NodeRuntime>().LogInformation(
                    "Tx journal: {Readmitted} acknowledged txs back in the pool, {Dropped} dropped (committed, expired or spent meanwhile)", readmitted, dropped);
            // The next height must run a protocol version this software knows: otherwise the operator upgrades first.
            ChainParameters.RequireSupported(chain.Parameters.ProtocolAt(chain.Head.Height + 1), chain.Head.Height + 1);
            // Every CA the chain names (genesis's, then governance's) is trusted for chain building; whether one counts at a
            // height the block decides. Governance checks certificates without the node's CRL files: they never decide a block.
            var governanceTrust = new CertificateChainValidator(root, authorities[1..], []);
            chain.Authorities.Extend(chainValidator);
            chain.Authorities.Extend(governanceTrust);
            var governance = new ConsortiumGovernance(validators, chain.Authorities, chain.Parameters, governanceTrust, genesis.Consensus.GovernanceDelayBlocks, hasher);
            var executor = new BlockExecutor(genesis.ChainId, chaincode, hasher, new CrlPublication(chain.Authorities.AllIn), governance);
            if (observer)
                return OpenObserver(config, genesis, kv, journal, identity, chain, executor, admission, validators, hasher, time, loggers, transport, chainValidator);
            if (chain.Validators.FindAny(certificate.Id) is null)
                loggers.CreateLogger<NodeRuntime>().LogWarning(
                    "{Name}'s certificate is in no validator set of {ChainId} yet: the node follows the chain once its peers accept it (after a governance vote adds it)",
                    config.Name, genesis.ChainId);
            var blockInterval = TimeSpan.FromMilliseconds(genesis.Consensus.BlockIntervalMs);
            if (validators.Genesis.Count == 1 && next is not null)
                throw new LedgerException(ErrorCode.GovernanceUnavailable, $"{genesis.ChainId} is a one-validator chain: no vote can re-certify its validator (nextKey, nextCertificate)");
            if (validators.Genesis.Count == 1)
            {
                var producer = new SoloProducer(chain, executor, new BlockSealer(genesis.ChainId, identity),
                    new ProducerOptions
                    {
                        BlockInterval = blockInterval,
                        MaxBlockTransactions = genesis.Consensus.MaxBlockTransactions,
                        MaxBlockBytes = genesis.Consensus.MaxBlockBytes,
                    },
                    time, loggers.CreateLogger<SoloProducer>());
                return new NodeRuntime(kv, journal, identity, chain, producer.RunAsync, null, null, null, chainValidator);
            }

            var identities = new NodeIdentities(identity, next is null ? [] : [next], validators, loggers.CreateLogger<NodeIdentities>());
            if (next is not null)
                loggers.CreateLogger<NodeRuntime>().LogInformation(
                    "{Name} holds its next certificate {Next}: it decides with it from the height a Replace puts it in the set", config.Name, next.Certificate.Id);
            return OpenConsortium(config, genesis, hasher.Hash(genesisBytes), kv, journal, identities, chain, executor, admission, certificates, validators, hasher, time, loggers, transport, chainValidator);
        }
        catch
        {
            journal?.Dispose();
            kv.Dispose();
            next?.Key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An observer: no consensus, no mempool; it follows its upstream validators block by block, checking each as a
    /// certified block and re-executing it, serves reads from its own copy and forwards submissions upstream.
    /// </summary>
    private static NodeRuntime OpenObserver(NodeConfig config, GenesisDocument genesis, IKeyValueStore kv, ITxJournal journal, NodeIdentity identity, LedgerChain chain,
        BlockExecutor executor, TxAdmission admission, ValidatorSets validators, Sm3Hasher hasher, TimeProvider time, ILoggerFactory loggers,
        NodeTransport? transport, CertificateChainValidator chainValidator)
    {
        var rules = BlockRules.ForCertifiedBlocks(genesis.ChainId, validators, admission);
        var importer = new BlockImporter(chain, executor, hasher, rules, rules);
        var options = new LedgerClientOptions { Identity = new CallerIdentity(identity.Certificate, identity.Key), TransportCa = transport?.Trust };
        var addresses = config.Upstream.Select(a => transport is null ? a : transport.PeerAddress(a).ToString().TrimEnd('/')).ToArray();
        var upstream = new UpstreamNodes(addresses, options);
        var follower = new ChainFollower(chain, importer, upstream, loggers.CreateLogger<ChainFollower>(), time);
        loggers.CreateLogger<NodeRuntime>().LogInformation("{Name} observes {ChainId}: it follows {Upstream} and never votes", config.Name, genesis.ChainId, string.Join(", ", addresses));
        return new NodeRuntime(kv, journal, identity, chain, follower.RunAsync, null, null, null, chainValidator)
        {
            Api = new ObserverLedgerApi(chain, upstream),
            Follower = follower,
            _upstream = upstream,
        };
    }

    /// <summary>
    /// QBFT among the validators of each height (genesis's, then governance's), over the gRPC peer network, with its WAL in the data directory. Wired in
    /// one order: the loop's inbox, the peer network that writes to it, then the driver whose engine sends through it.
    /// </summary>
    private static NodeRuntime OpenConsortium(NodeConfig config, GenesisDocument genesis, Hash32 genesisHash, IKeyValueStore kv, ITxJournal journal, NodeIdentities identities, LedgerChain chain,
        BlockExecutor executor, TxAdmission admission, CertificateRegistry certificates, ValidatorSets validators, Sm3Hasher hasher, TimeProvider time, ILoggerFactory loggers,
        NodeTransport? transport, CertificateChainValidator chainValidator)
    {
        var identity = identities.Primary;
        var keys = new ValidatorKeysAdapter(validators);
        var importer = new BlockImporter(chain, executor, hasher,
            BlockRules.ForProposals(validators, hasher, ProposalTiming.From(genesis.Consensus), time, admission, new CrlFileRevocationStatus(certificates)),
            BlockRules.ForCertifiedBlocks(genesis.ChainId, validators, admission));
        var blockInterval = TimeSpan.FromMilliseconds(genesis.Consensus.BlockIntervalMs);
        var builder = new ProposalBuilder(chain, executor, importer, height => identities.At(height).Certificate.Id,
            new ProducerOptions { BlockInterval = blockInterval, MaxBlockTransactions = genesis.Consensus.MaxBlockTransactions, MaxBlockBytes = genesis.Consensus.MaxBlockBytes },
            time, chain.Parameters);
        var blocks = new ChainBlocks(builder, importer);
        var wal = new AppendLog(Path.Combine(config.Resolve(config.DataDir), WalFileName));
        SigningWatermarkFile watermark;
        try
        {
            // Read now, not when consensus starts: a WAL damaged before its end stops the node here, in one line.
            _ = new WalAdapter(wal).ReadAll();
            watermark = new SigningWatermarkFile(SigningWatermarkPath(config), genesisHash);
        }
        catch
        {
            wal.Dispose();
            throw;
        }
        var options = new ConsensusOptions
        {
            ChainId = genesis.ChainId,
            BaseRoundTimeout = TimeSpan.FromMilliseconds(genesis.Consensus.RoundTimeoutMs),
            StartRoundZeroTimerOnActivity = true,
            // A validator (re)started, perhaps from an old backup, learns how far its peers committed before it signs.
            HoldSigningUntilReleased = true,
        };
        var inbox = new ConsensusInbox();
        var network = new PeerNetwork(
            new PeerNetworkOptions(genesis.ChainId, config.Peers.Select(p => new PeerEndpoint(p.Name, transport?.PeerAddress(p.Address) ?? new Uri(p.Address))).ToArray())
            {
                Tls = transport?.Trust?.ClientOptions(transport.Certificate),
                // Block fetches are authenticated calls like any client's (the Connect stream has its own handshake).
                // With the certificate that decides the next height: peers serve whole blocks to the validators of the set.
                CallSigner = new Ledger.Client.Access.CallSigningInterceptor(CallerAt(identities, () => chain.Head.Height + 1)),
                TransportNames = transport is { Insecure: false } ? ValidatorTransportName.Read : null,
            },
            new PeerAuthenticatorAdapter(identities, validators, () => chain.Head.Height + 1), new PeerHandlersAdapter(chain, inbox), loggers.CreateLogger<PeerNetwork>());
        var driver = new ConsensusDriver(chain, inbox, () => new QbftEngine(options, new ConsensusPorts
        {
            Transport = network,
            Timeouts = new TimerAdapter(inbox.Enqueue, time, CancellationToken.None),
            Proposer = blocks,
            ProposalValidator = blocks,
            Committer = blocks,
            Signer = new SignerAdapter(identities),
            Keys = keys,
            Wal = new WalAdapter(wal),
            Watermark = watermark,
        }), blockInterval, time, loggers.CreateLogger<ConsensusDriver>())
        {
            PeersCommitted = new PeersCommitted(network, validators, chain).Read,
        };
        var production = new QbftProduction(chain, driver, importer, network, loggers.CreateLogger<QbftProduction>());
        return new NodeRuntime(kv, journal, identity, chain, production.RunAsync, network, driver, wal, chainValidator) { _watermark = watermark, _next = identities.All.Skip(1).ToArray() };
    }

    /// <summary>
    /// The signing watermark's file: the config's <c>signingWatermark</c>, else <c>signing.watermark</c> in the data
    /// directory (where <c>ledger node restore</c> leaves it in place).
    /// </summary>
    public static string SigningWatermarkPath(NodeConfig config) =>
        config.SigningWatermark is { } path ? config.Resolve(path) : Path.Combine(config.Resolve(config.DataDir), SigningWatermarkFile.DefaultFileName);

    public void Dispose()
    {
        _wal?.Dispose();
        _watermark?.Dispose();
        _upstream?.Dispose();
        _journal.Dispose();
        _kv.Dispose();
        _identity.Key.Dispose();
        foreach (var next in _next) next.Key.Dispose();
    }

    /// <summary>The caller identity of the certificate deciding the height <paramref name="height"/> gives, made once per certificate.</summary>
    private static Func<CallerIdentity> CallerAt(NodeIdentities identities, Func<ulong> height)
    {
        var callers = identities.All.ToDictionary(i => i.Certificate.Id, i => new CallerIdentity(i.Certificate, i.Key));
        return () => callers[identities.At(height()).Certificate.Id];
    }

    /// <summary>
    /// The next identity the config names (nextKey, nextCertificate), for a re-certification by governance: a validator
    /// certificate of the same division (a Replace keeps the bureau) whose key is the key file's; null when none is named.
    /// </summary>
    private static NodeIdentity? LoadNext(NodeConfig config, LedgerCertificate current, bool observer)
    {
        if (config.NextKey is null && config.NextCertificate is null) return null;
        if (config.NextKey is null || config.NextCertificate is null)
            throw new LedgerException(ErrorCode.MissingField, "the config names only one of nextKey and nextCertificate: a next identity needs both");
        if (observer) throw new LedgerException(ErrorCode.WrongCertificateRole, $"{config.Name} is an observer: it has no validator key to replace (nextKey, nextCertificate)");
        var certificate = LedgerCertificate.FromPem(System.Text.Encoding.UTF8.GetString(ReadFile(config.Resolve(config.NextCertificate), "next certificate")));
        if (certificate.Role != Role.Validator)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"the next certificate has the role {certificate.Role}; a node is re-certified with a validator certificate");
        if (certificate.Division != current.Division)
            throw new LedgerException(ErrorCode.InvalidCertificate,
                $"the next certificate is of division {certificate.Division.Value}, the node's of {current.Division.Value}: a Replace keeps the bureau");
        if (certificate.Id == current.Id) throw new LedgerException(ErrorCode.InvalidCertificate, "the next certificate is the node's certificate");
        var key = KeyFile.Load(config.Resolve(config.NextKey), Passphrase(config), new KeyFileOptions { AllowWeakIterations = config.AllowWeakKdf == true });
        if (key.PublicKey != certificate.PublicKey)
        {
            key.Dispose();
            throw new LedgerException(ErrorCode.InvalidCertificate, "the node's next key does not match its next certificate");
        }
        return new NodeIdentity(config.Name, certificate, key);
    }

    /// <summary>The node's key, from the key file and passphrase its config names.</summary>
    public static Sm2PrivateKey LoadKey(NodeConfig config) =>
        KeyFile.Load(config.Resolve(config.Key), Passphrase(config), new KeyFileOptions { AllowWeakIterations = config.AllowWeakKdf == true });

    private static string Passphrase(NodeConfig config)
    {
        if (config.PassphraseFile is not null) return File.ReadAllText(config.Resolve(config.PassphraseFile)).TrimEnd('\r', '\n');
        if (config.PassphraseEnv is not null)
            return Environment.GetEnvironmentVariable(config.PassphraseEnv) is { Length: > 0 } value
                ? value
                : throw new LedgerException(ErrorCode.WrongPassphrase, $"environment variable {config.PassphraseEnv} (the key's passphrase) is not set");
        throw new LedgerException(ErrorCode.MissingField, "the config names neither passphraseFile nor passphraseEnv");
    }

    private static byte[] ReadFile(string path, string what) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new LedgerException(ErrorCode.MissingField, $"{what} file not found: {path}");
}
