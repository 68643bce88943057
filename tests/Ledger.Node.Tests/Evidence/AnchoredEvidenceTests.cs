using System.Text.Json;
using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chaincode;
using Ledger.Chaincode.State;
using Ledger.Client;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Anchoring;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Evidence;

/// <summary>
/// Proofs that carry the nearest later external-anchor checkpoint (proof-format §2 check 9), from a real chain whose
/// bureau recorded ExternalAnchor txs: what is checked offline (the record's own proof, the checkpoint at or above the
/// block, the header link to it) and every way of tampering with it; a proof without an anchor keeps verifying.
/// </summary>
public class AnchoredEvidenceTests
{
    private const string Contract = "GZ-ANCHORED-1";
    private static readonly byte[] EvmContract = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();

    private TestConsortium _consortium = null!;
    private ScanCountingStore _kv = null!;
    private LedgerChain _chain = null!;
    private EvidenceVerifier _verifier = null!;
    private Hash32 _register;       // height 1
    private Hash32 _sign;           // height 5, after the checkpoint at 3
    private Hash32 _anchorRecord;   // height 4: checkpoint 3 anchored

    [OneTimeSetUp]
    public void BuildChain()
    {
        _consortium = new TestConsortium(validators: 1);
        var hasher = Sm3Hasher.Instance;
        _kv = new ScanCountingStore(new InMemoryKeyValueStore());
        _chain = OpenChain();
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var validator = _consortium.Validators[0];
        var producer = new SoloProducer(_chain, new BlockExecutor(_consortium.ChainId, chaincode, hasher),
            new BlockSealer(_consortium.ChainId, new NodeIdentity(validator.Name, validator.Certificate!, validator.Key)),
            new ProducerOptions(), TimeProvider.System, NullLogger<SoloProducer>.Instance);
        Hash32 Commit(TxEnvelope envelope)
        {
            var submitted = _chain.Submit(envelope.Encode());
            Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
            Assert.That(producer.ProduceBlock(), Is.Not.Null);
            Assert.That(_chain.GetTransaction(submitted.TxId!.Value)!.Receipt.Code, Is.EqualTo(ErrorCode.Ok));
            return submitted.TxId!.Value;
        }
        var document = Sm3.Hash("anchored contract"u8);
        _register = Commit(_consortium.Transaction(_consortium.Register(Contract, document), _consortium.Employer, [_consortium.Employer]));                       // 1
        Commit(_consortium.Transaction(_consortium.Register("GZ-ANCHORED-2", Sm3.Hash("2"u8)), _consortium.Employer, [_consortium.Employer]));                 // 2
        Commit(_consortium.Transaction(_consortium.Register("GZ-ANCHORED-3", Sm3.Hash("3"u8)), _consortium.Employer, [_consortium.Employer]));                 // 3
        _anchorRecord = Commit(Anchor(3, _chain.GetBlock(3)!.Header.ComputeHash(hasher)));                                                                     // 4
        _sign = Commit(_consortium.Transaction(new SignPayload { ContractId = Contract, Version = 1, DocumentHash = document },
            _consortium.Employer, [_consortium.Employer, _consortium.WorkerOf(Contract)]));                                                                      // 5
        // A record naming a block hash that is not ours at height 5: the node never offers it as a checkpoint.
        Commit(Anchor(5, Sm3.Hash("not our block"u8)));                                                                                                          // 6
        _verifier = new EvidenceVerifier(_consortium.Genesis);
    }

    [OneTimeTearDown]
    public void CloseStore() => _kv.Dispose();

    /// <summary>The chain over <see cref="_kv"/>, as a node (re)starting on its store opens it.</summary>
    private LedgerChain OpenChain()
    {
        var hasher = Sm3Hasher.Instance;
        var store = new BlockStore(_kv, hasher);
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var admission = new TxAdmission(_consortium.ChainId, chaincode, new CertificateRegistry(_consortium.ChainValidator(), hasher), hasher, new StoreReplayIndex(store));
        return new LedgerChain("test", _consortium.Genesis, _consortium.GenesisBytes, store, admission, new Mempool(), new Ledger.Chain.Governance.ValidatorSets(_consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics());
    }

    /// <summary>Counts what prefix scans return, by the scanned prefix's first two bytes.</summary>
    private sealed class ScanCountingStore(IKeyValueStore inner) : IKeyValueStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _returned = new();

        public int Returned(params byte[] prefix) => _returned.Where(e => e.Key.StartsWith(Convert.ToHexString(prefix), StringComparison.Ordinal)).Sum(e => e.Value);

        public void Reset() => _returned.Clear();

        public byte[]? Get(ReadOnlySpan<byte> key) => inner.Get(key);

        public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix)
        {
            var entries = inner.Scan(prefix).ToList();
            _returned.AddOrUpdate(Convert.ToHexString(prefix), entries.Count, (_, n) => n + entries.Count);
            return entries;
        }

        public void Write(WriteBatch batch) => inner.Write(batch);

        public void Dispose() => inner.Dispose();
    }

    [Test]
    public void The_nearest_anchor_is_read_from_the_index_not_found_by_scanning_every_anchor()
    {
        // Ten thousand anchors recorded far above this chain (synthetic: only the index's size matters here), 0x21 state untouched.
        var far = Enumerable.Range(0, 10_000).Select(i => new AnchorRecordEntry(1_000_000 + (ulong)i * 2, 1337, EvmContract, Sm3.Hash(BitConverter.GetBytes(i)),
            Sm3.Hash(BitConverter.GetBytes(~i)))).ToArray();
        var batch = new WriteBatch();
        foreach (var e in far)
            batch.Put(BlockStoreKeys.ForAnchorRecord(e.Checkpoint, e.EvmChainId, e.Contract.Span), [.. e.RecordTxId.ToArray(), .. e.BlockHash.ToArray()]);
        _kv.Write(batch);
        try
        {
            _kv.Reset();
            var proof = _chain.GetEvidence(_register)!;
            Assert.That(proof.Anchor!.Proof.TxId, Is.EqualTo(_anchorRecord.ToHex()));
            Assert.That(_kv.Returned(BlockStoreKeys.State, StateKeys.ExternalAnchorPrefix), Is.Zero, "the recorded anchors in the state are not scanned");
            Assert.That(_kv.Returned(BlockStoreKeys.AnchorRecord), Is.EqualTo(2), "one bucket read: the two anchors this chain recorded, none of the far ones");
            Assert.That(_chain.Store.AnchorRecords(1_000_000, 1_004_095).Count(), Is.EqualTo(2048), "a range reads its own buckets");
            Assert.That(_chain.Store.AnchorRecords(1_003_517, 1_003_522).Select(e => e.Checkpoint), Is.EqualTo(new ulong[] { 1_003_518, 1_003_520, 1_003_522 }),
                "across a bucket boundary, in checkpoint order");
        }
        finally
        {
            var clean = new WriteBatch();
            foreach (var e in far) clean.Delete(BlockStoreKeys.ForAnchorRecord(e.Checkpoint, e.EvmChainId, e.Contract.Span));
            _kv.Write(clean);
        }
    }

    [Test]
    public async Task Anyone_may_ask_which_external_anchor_covers_a_height_and_learns_it_is_not_anchored_when_none_is()
    {
        await using var host = await Grpc.GrpcTestHost.StartAsync(_chain);
        using var anonymous = host.Connect();
        var covering = await anonymous.GetExternalAnchorAsync(1);
        Assert.That(covering, Is.Not.Null);
        Assert.That(covering!.Anchor.Height, Is.EqualTo(3UL), "the nearest recorded checkpoint at or above height 1");
        Assert.That(covering.RecordTxId, Is.EqualTo(_anchorRecord));
        Assert.That(covering.RecordHeight, Is.EqualTo(4UL));
        Assert.That(covering.ContractAddress, Is.EqualTo("0x" + Convert.ToHexStringLower(EvmContract)));
        Assert.That(covering.Anchor.ExternalBlock, Is.EqualTo(93UL));
        Assert.That((await anonymous.GetExternalAnchorAsync(3))!.Anchor.Height, Is.EqualTo(3UL), "a checkpoint covers its own block");
        Assert.That(await anonymous.GetExternalAnchorAsync(4), Is.Null, "above 3 only a record of another block than ours: not anchored");
        Assert.That(await anonymous.GetExternalAnchorAsync(1_000), Is.Null);
    }

    [Test]
    public void A_store_written_before_the_index_builds_it_once_when_opened_and_proofs_carry_the_same_anchor()
    {
        var before = _chain.GetEvidence(_register)!.ToJson();
        var old = new WriteBatch();
        foreach (var (key, _) in _kv.Scan([BlockStoreKeys.AnchorRecord])) old.Delete(key);
        old.Delete(BlockStoreKeys.AnchorIndexBuilt);
        _kv.Write(old);
        Assert.That(new BlockStore(_kv, Sm3Hasher.Instance).AnchorIndexBuilt, Is.False, "the test's premise: an old store");

        var reopened = OpenChain();
        Assert.That(reopened.Store.AnchorIndexBuilt, Is.True);
        Assert.That(reopened.Store.AnchorRecords(0, 100).Select(e => (e.Checkpoint, e.RecordTxId)), Has.Member((3UL, _anchorRecord)));
        Assert.That(reopened.GetEvidence(_register)!.ToJson(), Is.EqualTo(before));
        Assert.That(_chain.GetEvidence(_register)!.ToJson(), Is.EqualTo(before));
    }

    private TxEnvelope Anchor(ulong height, Hash32 blockHash)
    {
        var payload = new ExternalAnchorPayload
        {
            Height = height, BlockHash = blockHash, EvmChainId = 1337, Contract = EvmContract, TxHash = Sm3.Hash(blockHash.ToArray()),
            ExternalBlock = 90 + height, ExternalBlockHash = Sm3.Hash([(byte)height]), ExternalTime = 1_780_000_000 + (long)height,
        };
        return TransactionBuilder.SignedBySubmitter(payload.CreateBody(_consortium.ChainId, height * 1000, DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(),
            _consortium.Bureau.Certificate!.Id), _consortium.Bureau.Certificate, _consortium.Bureau.Key);
    }

    private EvidenceProof Proof(Hash32 txId) => EvidenceProof.FromJson(_chain.GetEvidence(txId)!.ToJson());

    [Test]
    public void A_proof_carries_the_nearest_later_checkpoint_linked_by_headers_and_states_what_needs_the_external_chain()
    {
        var proof = Proof(_register);
        Assert.That(proof.Anchor, Is.Not.Null);
        Assert.That(proof.Anchor!.Headers, Has.Count.EqualTo(2), "heights 2 and 3 link block 1 to the checkpoint");

        var report = _verifier.Verify(proof);
        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        var anchor = report.Anchor!;
        Assert.That(anchor.CheckpointHeight, Is.EqualTo(3UL));
        Assert.That(anchor.CheckpointHash, Is.EqualTo(_chain.GetBlock(3)!.Header.ComputeHash(Sm3Hasher.Instance)));
        Assert.That(anchor.RecordedAt, Is.EqualTo(4UL));
        Assert.That(anchor.RecordTxId, Is.EqualTo(_anchorRecord));
        Assert.That(anchor.ExternalBlock, Is.EqualTo(93UL));
        Assert.That(anchor.EvmChainId, Is.EqualTo(1337UL));
        Assert.That(anchor.Contract, Is.EqualTo("0x" + Convert.ToHexStringLower(EvmContract)));
        Assert.That(anchor.ToString(), Does.Contain("no later than external block 93").And.Contain("not checked offline: ledger anchor verify --height 3"));
    }

    [Test]
    public void No_checkpoint_above_the_block_and_a_record_of_another_block_give_a_proof_without_an_anchor_that_verifies()
    {
        var proof = _chain.GetEvidence(_sign)!;
        Assert.That(proof.Anchor, Is.Null, "the only record above height 5 names a block that is not ours");
        Assert.That(proof.ToJson(), Does.Not.Contain("\"anchor\""), "the format of before, byte for byte");
        Assert.That(_verifier.Verify(EvidenceProof.FromJson(proof.ToJson())).IsValid, Is.True);
        Assert.That(_verifier.Verify(Proof(_register) with { Anchor = null }).IsValid, Is.True, "a proof stripped of its anchor is the old format: still evidence of the tx");
    }

    [Test]
    public void A_contract_bundle_carries_each_events_anchor_and_verifies()
    {
        var bundle = ContractEvidence.FromJson(_chain.GetContractEvidence(Contract, null)!.ToJson());
        Assert.That(bundle.Events[0].Anchor, Is.Not.Null);
        Assert.That(bundle.Events[1].Anchor, Is.Null);
        var report = new ContractEvidenceVerifier(_verifier).Verify(bundle);
        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.Events[0].Anchor!.CheckpointHeight, Is.EqualTo(3UL));
    }

    /// <summary>The proof of the register tx with its anchor tampered with, every way a party might try.</summary>
    private (string What, EvidenceProof Proof)[] Tampered()
    {
        var proof = Proof(_register);
        var anchor = proof.Anchor!;
        var header = Convert.FromBase64String(anchor.Headers[0]);
        header[^3] ^= 0x01;
        var record = Convert.FromBase64String(anchor.Proof.Envelope);
        record[^10] ^= 0x01;
        return
        [
            ("a header dropped", proof with { Anchor = anchor with { Headers = [anchor.Headers[1]] } }),
            ("a header changed", proof with { Anchor = anchor with { Headers = [Convert.ToBase64String(header), anchor.Headers[1]] } }),
            ("headers swapped", proof with { Anchor = anchor with { Headers = [anchor.Headers[1], anchor.Headers[0]] } }),
            ("the record changed", proof with { Anchor = anchor with { Proof = anchor.Proof with { Envelope = Convert.ToBase64String(record) } } }),
            ("the record's block changed", proof with { Anchor = anchor with { Proof = anchor.Proof with { Header = proof.Header } } }),
            ("a contract tx as the record", proof with { Anchor = anchor with { Proof = Proof(_sign) } }),
            ("an anchor below the block", Proof(_sign) with { Anchor = anchor with { Headers = [] } }),
            ("an anchor inside the anchor", proof with { Anchor = anchor with { Proof = anchor.Proof with { Anchor = anchor } } }),
        ];
    }

    [Test]
    public void Tampering_with_the_anchor_fails_with_InvalidAnchor()
    {
        foreach (var (what, tampered) in Tampered())
        {
            var report = _verifier.Verify(EvidenceProof.FromJson(tampered.ToJson()));
            Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.InvalidAnchor), $"{what}: {report.Result}");
        }
    }

    [Test]
    public void The_JavaScript_verifier_agrees_on_the_anchor_and_on_every_tampering()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Ledger.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Ledger.sln not found above the test directory");
        var verifier = Path.Combine(root, "verifiers", "js");
        if (!Directory.Exists(Path.Combine(verifier, "node_modules", "sm-crypto")))
        {
            var ci = ProcessRunner.Run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], verifier, TimeSpan.FromMinutes(5));
            Assert.That(ci.ExitCode, Is.Zero, $"npm ci in verifiers/js failed: {ci.StdOut}{ci.StdErr}");
        }
        var dir = Directory.CreateTempSubdirectory("js-anchored-").FullName;
        try
        {
            var genesis = Path.Combine(dir, "genesis.json");
            File.WriteAllText(genesis, _consortium.Genesis.ToJson());
            JsonElement Js(string name, string json)
            {
                var path = Path.Combine(dir, name);
                File.WriteAllText(path, json);
                var run = ProcessRunner.Run("node", ["verify.js", path, "--genesis", genesis], verifier);
                Assert.That(run.StdOut.Trim().Split('\n'), Has.Length.EqualTo(1), $"one JSON line: {run.StdOut}{run.StdErr}");
                return JsonDocument.Parse(run.StdOut).RootElement.Clone();
            }

            var valid = Js("proof.json", _chain.GetEvidence(_register)!.ToJson());
            Assert.That(valid.GetProperty("code").GetString(), Is.EqualTo("Ok"), valid.ToString());
            var anchor = valid.GetProperty("anchor");
            Assert.That(anchor.GetProperty("checkpointHeight").GetInt32(), Is.EqualTo(3));
            Assert.That(anchor.GetProperty("recordedAt").GetInt32(), Is.EqualTo(4));
            Assert.That(anchor.GetProperty("externalBlock").GetInt32(), Is.EqualTo(93));
            Assert.That(anchor.GetProperty("recordTxId").GetString(), Is.EqualTo(_anchorRecord.ToHex()));
            Assert.That(anchor.GetProperty("needsExternalChain").GetString(), Does.Contain("ledger anchor verify --height 3"));
            Assert.That(Js("plain.json", _chain.GetEvidence(_sign)!.ToJson()).GetProperty("code").GetString(), Is.EqualTo("Ok"), "no anchor: the format of before");
            var bundle = Js("bundle.json", _chain.GetContractEvidence(Contract, null)!.ToJson());
            Assert.That(bundle.GetProperty("code").GetString(), Is.EqualTo("Ok"), bundle.ToString());
            Assert.That(bundle.GetProperty("events")[0].GetProperty("anchor").GetProperty("checkpointHeight").GetInt32(), Is.EqualTo(3));

            foreach (var (what, tampered) in Tampered())
            {
                var js = Js($"{Guid.NewGuid():N}.json", tampered.ToJson());
                Assert.That(js.GetProperty("code").GetString(), Is.EqualTo(nameof(ErrorCode.InvalidAnchor)), $"{what}: {js}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void The_bundle_report_states_each_events_anchor_and_what_needs_the_external_chain()
    {
        if (!File.Exists("/usr/bin/pdftotext")) Assert.Ignore("poppler-utils is not installed (scripts/test.sh installs it)");
        var dir = Directory.CreateTempSubdirectory("ledger-anchored-report-").FullName;
        try
        {
            string Save(string name, string text) { var path = Path.Combine(dir, name); File.WriteAllText(path, text); return path; }
            var genesis = Save("genesis.json", _consortium.Genesis.ToJson());
            var bundle = Save("bundle.json", _chain.GetContractEvidence(Contract, null)!.ToJson());
            Crypto.KeyFile.Save(Path.Combine(dir, "bureau.key"), _consortium.Bureau.Key, "pass-phrase-1", Crypto.KeyFileOptions.ForTests);
            var cert = Save("bureau.pem", _consortium.Bureau.Certificate!.ToPem());
            var (exit, _, error) = new Ledger.Cli.Tests.Commands.CliHarness().Set("PASS", "pass-phrase-1").Run("proof", "report", bundle, "--genesis", genesis,
                "--key", Path.Combine(dir, "bureau.key"), "--cert", cert, "--passphrase-env", "PASS", "--allow-weak-kdf", "--out", Path.Combine(dir, "report.pdf"));
            Assert.That(exit, Is.EqualTo(0), error);
            var text = ProcessRunner.Run("/usr/bin/pdftotext", [Path.Combine(dir, "report.pdf"), "-"], timeout: TimeSpan.FromSeconds(30));
            Assert.That(text.StdOut, Does.Contain("外部锚定 External anchor"));
            Assert.That(text.StdOut, Does.Contain("区块 93"));
            Assert.That(text.StdOut, Does.Contain("ledger anchor verify"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Ledger_proof_verify_prints_the_checkpoint_and_what_needs_the_external_chain()
    {
        var dir = Directory.CreateTempSubdirectory("ledger-anchored-proof-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "genesis.json"), _consortium.Genesis.ToJson());
            File.WriteAllText(Path.Combine(dir, "proof.json"), _chain.GetEvidence(_register)!.ToJson());
            var (exit, output, error) = new Ledger.Cli.Tests.Commands.CliHarness().Run("proof", "verify", Path.Combine(dir, "proof.json"), "--genesis", Path.Combine(dir, "genesis.json"));
            Assert.That(exit, Is.EqualTo(0), error);
            Assert.That(output, Does.Contain("anchored: this block existed no later than external block 93").And.Contain("ledger anchor verify --height 3"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
