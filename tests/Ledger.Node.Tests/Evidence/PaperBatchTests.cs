using System.Text.Json;
using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chaincode;
using Ledger.Client;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Merkle;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Evidence;

/// <summary>
/// Bulk anchoring of paper contracts on a real chain (one validator, solo producer): a Bureau's batch of 2,500 documents
/// goes in as three parts and a seal; every document is then found by its hash and proved by the seal's proof plus its
/// batch path — offline, by the C# and the JavaScript verifier alike, which refuse every tampering with the same code.
/// A document outside the batch, or in a batch not yet sealed, is not anchored.
/// </summary>
public class PaperBatchTests
{
    private const int Documents = 2_500;

    private TestConsortium _consortium = null!;
    private LedgerChain _chain = null!;
    private SoloProducer _producer = null!;
    private EvidenceVerifier _verifier = null!;
    private PaperBatchPlan _plan = null!;
    private Hash32 _seal;

    private static PaperBatchLeaf Leaf(string batch, int i) =>
        new(Sm3.Hash(System.Text.Encoding.UTF8.GetBytes($"{batch} scan {i}")), $"GZ-PAPER-{batch}-{i:D6}", i % 3 == 0 ? EvidenceGrade.ElectronicSignature : EvidenceGrade.PaperScan);

    [OneTimeSetUp]
    public void BuildChain()
    {
        _consortium = new TestConsortium(validators: 1);
        var hasher = Sm3Hasher.Instance;
        var store = new BlockStore(new InMemoryKeyValueStore(), hasher);
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var admission = new TxAdmission(_consortium.ChainId, chaincode, new CertificateRegistry(_consortium.ChainValidator(), hasher), hasher, new StoreReplayIndex(store));
        _chain = new LedgerChain("test", _consortium.Genesis, _consortium.GenesisBytes, store, admission, new Mempool(), new Ledger.Chain.Governance.ValidatorSets(_consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics());
        var validator = _consortium.Validators[0];
        _producer = new SoloProducer(_chain, new BlockExecutor(_consortium.ChainId, chaincode, hasher),
            new BlockSealer(_consortium.ChainId, new NodeIdentity(validator.Name, validator.Certificate!, validator.Key)),
            new ProducerOptions(), TimeProvider.System, NullLogger<SoloProducer>.Instance);
        _verifier = new EvidenceVerifier(_consortium.Genesis);

        _plan = PaperBatchPlan.Create(Enumerable.Range(0, Documents).Select(i => Leaf("A", i)).ToArray(), Sm3.Hash("manifest A"u8));
        Assert.That(_plan.PartCount, Is.EqualTo(3));
        for (var part = 0; part < _plan.PartCount; part++) Expect(Commit(Bureau(_plan.Part(part))), ErrorCode.Ok);
        _seal = Commit(Bureau(_plan.Seal()));
        Expect(_seal, ErrorCode.Ok);
    }

    private TxEnvelope Bureau(UploadPaperBatchPayload step) =>
        PaperBatchPlan.Sign(step, _consortium.ChainId, _consortium.Bureau.Certificate!, _consortium.Bureau.Key);

    private Hash32 Commit(TxEnvelope envelope)
    {
        var submitted = _chain.Submit(envelope.Encode());
        Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
        Assert.That(_producer.ProduceBlock(), Is.Not.Null);
        return submitted.TxId!.Value;
    }

    private void Expect(Hash32 txId, ErrorCode code) =>
        Assert.That(_chain.GetTransaction(txId)!.Receipt.Code, Is.EqualTo(code), _chain.GetTransaction(txId)!.Receipt.Message);

    private EvidenceProof Proof(PaperBatchLeaf leaf) => EvidenceProof.FromJson(_chain.GetBatchDocumentEvidence(leaf.DocumentHash)!.ToJson());

    [Test]
    public void Every_part_fits_a_tx_even_with_the_longest_contract_ids()
    {
        var longest = Enumerable.Range(0, UploadPaperBatchPayload.PartSize)
            .Select(i => new PaperBatchLeaf(Sm3.Hash(BitConverter.GetBytes(i)), new string('Z', PaperBatchLeaf.MaxContractIdBytes - 6) + i.ToString("D6"), EvidenceGrade.PaperScan))
            .ToArray();
        var plan = PaperBatchPlan.Create(longest, Sm3.Hash("m"u8));
        var envelope = Bureau(plan.Part(0)).Encode();
        Assert.That(envelope, Has.Length.LessThanOrEqualTo(Ledger.Core.Wire.EncodingLimits.MaxTxBytes));
        Assert.That(TxEnvelope.Decode(envelope).Body.PayloadField, Is.EqualTo(UploadPaperBatchPayload.Field));
    }

    [Test]
    public void The_batch_tree_is_the_chains_merkle_tree_over_the_leaves_and_paths_compose_across_parts()
    {
        var hasher = Sm3Hasher.Instance;
        var leafHashes = _plan.Leaves.Select(l => MerkleTree.LeafHash(hasher, l.LeafData())).ToArray();
        Assert.That(leafHashes.Take(50), Is.EqualTo(_plan.Leaves.Take(50).Select(l => PaperBatchTree.LeafHash(hasher, l))), "the stack-built leaf hash is SM3(0x00 ‖ leaf data)");
        Assert.That(_plan.Leaves[0].LeafData()[..27], Is.EqualTo("ledger/paper-batch-leaf/v1\n"u8.ToArray()));
        Assert.That(_plan.Root, Is.EqualTo(MerkleTree.Root(hasher, leafHashes)), "parts of 1,024 are subtrees: the same root as the whole tree");
        foreach (var index in new[] { 0, 1023, 1024, 2047, 2048, Documents - 1 })
        {
            var proof = Proof(_plan.Leaves[index]);
            Assert.That(proof.Batch!.Index, Is.EqualTo(index));
            Assert.That(proof.Batch.Path, Is.EqualTo(MerkleTree.Prove(hasher, leafHashes, index).Path.Select(h => h.ToHex())), $"leaf {index}");
        }
    }

    [Test]
    public void Every_document_of_the_batch_is_found_by_hash_and_a_random_ones_proof_verifies_offline()
    {
        var random = new Random(18);
        for (var n = 0; n < 5; n++)
        {
            var index = random.Next(Documents);
            var leaf = _plan.Leaves[index];
            var hits = _chain.FindBatchDocuments(leaf.DocumentHash);
            Assert.That(hits, Has.Count.EqualTo(1));
            Assert.That(hits[0].Seal.TxId, Is.EqualTo(_seal));
            Assert.That(hits[0].LeafIndex, Is.EqualTo(index));
            Assert.That(hits[0].Leaf, Is.EqualTo(leaf));

            var file = new MemoryStream();
            var report = _verifier.Verify(Proof(leaf));
            Assert.That(report.IsValid, Is.True, report.Result.ToString());
            Assert.That(report.TxId, Is.EqualTo(_seal));
            Assert.That(report.DocumentHash, Is.EqualTo(leaf.DocumentHash));
            Assert.That(report.ContractId, Is.EqualTo(leaf.ContractId));
            Assert.That(report.PaperBatch!.Index, Is.EqualTo(index));
            Assert.That(report.PaperBatch.Count, Is.EqualTo(Documents));
            Assert.That(report.PaperBatch.Grade, Is.EqualTo(leaf.Grade));
            Assert.That(report.PaperBatch.Root, Is.EqualTo(_plan.Root));
        }
    }

    [Test]
    public void The_file_is_checked_against_the_batch_document()
    {
        var content = "the scan of a paper contract"u8.ToArray();
        var plan = PaperBatchPlan.Create([new PaperBatchLeaf(Sm3.Hash(content), "GZ-PAPER-FILE-1", EvidenceGrade.PaperScan)], Sm3.Hash("file manifest"u8));
        Expect(Commit(Bureau(plan.Part(0))), ErrorCode.Ok);
        Expect(Commit(Bureau(plan.Seal())), ErrorCode.Ok);
        var proof = EvidenceProof.FromJson(_chain.GetBatchDocumentEvidence(Sm3.Hash(content))!.ToJson());
        Assert.That(_verifier.Verify(proof, new MemoryStream(content)).FileMatches, Is.True);
        Assert.That(_verifier.Verify(proof, new MemoryStream("another file"u8.ToArray())).Result.Code, Is.EqualTo(ErrorCode.DocumentHashMismatch));
    }

    [Test]
    public void A_document_not_in_any_batch_is_not_anchored()
    {
        var outsider = Leaf("never-uploaded", 1);
        Assert.That(_chain.FindBatchDocuments(outsider.DocumentHash), Is.Empty);
        Assert.That(_chain.FindByDocumentHash(outsider.DocumentHash), Is.Empty);
        Assert.That(_chain.GetBatchDocumentEvidence(outsider.DocumentHash), Is.Null);
    }

    [Test]
    public void A_batch_is_anchored_only_when_sealed_and_the_chain_refuses_what_does_not_add_up()
    {
        var plan = PaperBatchPlan.Create(Enumerable.Range(0, 1500).Select(i => Leaf("B", i)).ToArray(), Sm3.Hash("manifest B"u8));
        Expect(Commit(Bureau(plan.Part(0))), ErrorCode.Ok);
        Assert.That(_chain.FindBatchDocuments(plan.Leaves[3].DocumentHash), Is.Empty, "a part alone anchors nothing");
        Expect(Commit(Bureau(plan.Seal())), ErrorCode.PaperBatchIncomplete);
        Expect(Commit(Bureau(plan.Part(0))), ErrorCode.PaperBatchPartExists);

        // A part whose leaves are not the ones the root was made of: the seal finds the root does not add up.
        var forged = plan.Part(1) with { Leaves = [.. plan.Part(1).Leaves.Take(475), new PaperBatchLeaf(Sm3.Hash("forged"u8), "GZ-FORGED", EvidenceGrade.PaperScan)] };
        Expect(Commit(Bureau(forged)), ErrorCode.Ok);
        Expect(Commit(Bureau(plan.Seal())), ErrorCode.PaperBatchRootMismatch);
        Assert.That(_chain.FindBatchDocuments(plan.Leaves[3].DocumentHash), Is.Empty);

        // Only a Bureau certificate anchors a batch.
        var employer = _consortium.Employer;
        var byEmployer = TransactionBuilder.SignedBySubmitter(plan.Seal().CreateBody(_consortium.ChainId, TransactionBuilder.NewNonce(),
            DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds(), employer.Certificate!.Id), employer.Certificate, employer.Key);
        Expect(Commit(byEmployer), ErrorCode.PaperBatchRoleNotAllowed);
        // A sealed batch takes no more parts or seals.
        Expect(Commit(Bureau(_plan.Part(1))), ErrorCode.PaperBatchSealed);
        Expect(Commit(Bureau(_plan.Seal())), ErrorCode.PaperBatchSealed);
    }

    [Test]
    public void Admission_refuses_a_malformed_part_before_it_reaches_a_block()
    {
        var part = _plan.Part(2);
        var refused = new (string What, UploadPaperBatchPayload Step)[]
        {
            ("a part with a leaf missing", part with { Leaves = part.Leaves.Skip(1).ToArray() }),
            ("a part index beyond the batch", part with { Index = 3 }),
            ("a document twice in a part", part with { Leaves = [.. part.Leaves.Take(part.Leaves.Count - 1), part.Leaves[0]] }),
            ("a grade that is not 1 or 2", part with { Leaves = [.. part.Leaves.Take(part.Leaves.Count - 1), part.Leaves[^1] with { Grade = EvidenceGrade.Unspecified }] }),
            ("more than 100,000 documents", _plan.Seal() with { DocumentCount = 100_001 }),
        };
        foreach (var (what, step) in refused)
        {
            var submitted = _chain.Submit(Bureau(step).Encode());
            Assert.That(submitted.Result.IsValid, Is.False, what);
            Assert.That(submitted.Result.Code, Is.AnyOf(ErrorCode.InvalidPaperBatch, ErrorCode.InvalidFieldValue, ErrorCode.MissingField), $"{what}: {submitted.Result}");
        }
    }

    /// <summary>A random document's proof, tampered with each way a party might try.</summary>
    private (string What, EvidenceProof Proof)[] Tampered()
    {
        var leaf = _plan.Leaves[1777];
        var proof = Proof(leaf);
        var batch = proof.Batch!;
        var other = _plan.Leaves[1778];
        var path = batch.Path.ToArray();
        path[3] = Sm3.Hash("not a sibling"u8).ToHex();
        return
        [
            ("a wrong path", proof with { Batch = batch with { Path = path } }),
            ("a path cut short", proof with { Batch = batch with { Path = batch.Path.Take(batch.Path.Count - 1).ToArray() } }),
            ("a wrong index", proof with { Batch = batch with { Index = batch.Index + 1 } }),
            ("a wrong count", proof with { Batch = batch with { Count = batch.Count + 1 } }),
            ("the leaf of another contract", proof with { Batch = batch with { ContractId = other.ContractId } }),
            ("another document", proof with { Batch = batch with { Document = other.DocumentHash.ToHex() } }),
            ("a swapped grade", proof with { Batch = batch with { Grade = leaf.Grade == EvidenceGrade.PaperScan ? 1 : 2 } }),
        ];
    }

    [Test]
    public void Tampering_with_a_batch_proof_fails_with_InvalidBatchProof()
    {
        foreach (var (what, tampered) in Tampered())
        {
            var report = _verifier.Verify(EvidenceProof.FromJson(tampered.ToJson()));
            Assert.That(report.Result.Code, Is.EqualTo(ErrorCode.InvalidBatchProof), $"{what}: {report.Result}");
        }
        var stripped = Proof(_plan.Leaves[5]) with { Batch = null };
        Assert.That(_verifier.Verify(stripped).Result.Code, Is.EqualTo(ErrorCode.InvalidProof), "a seal without its batch member proves no document");
    }

    [Test]
    public void The_JavaScript_verifier_agrees_on_a_batch_proof_and_on_every_tampering()
    {
        var verifier = JsVerifier.Install();
        var dir = Directory.CreateTempSubdirectory("js-batch-").FullName;
        try
        {
            var genesis = Path.Combine(dir, "genesis.json");
            File.WriteAllText(genesis, _consortium.Genesis.ToJson());
            JsonElement Js(string json)
            {
                var path = Path.Combine(dir, $"{Guid.NewGuid():N}.json");
                File.WriteAllText(path, json);
                var run = ProcessRunner.Run("node", ["verify.js", path, "--genesis", genesis], verifier);
                Assert.That(run.StdOut.Trim().Split('\n'), Has.Length.EqualTo(1), $"one JSON line: {run.StdOut}{run.StdErr}");
                return JsonDocument.Parse(run.StdOut).RootElement.Clone();
            }

            var leaf = _plan.Leaves[new Random(7).Next(Documents)];
            var valid = Js(Proof(leaf).ToJson());
            Assert.That(valid.GetProperty("code").GetString(), Is.EqualTo("Ok"), valid.ToString());
            Assert.That(valid.GetProperty("documentHash").GetString(), Is.EqualTo(leaf.DocumentHash.ToHex()));
            Assert.That(valid.GetProperty("contractId").GetString(), Is.EqualTo(leaf.ContractId));
            Assert.That(valid.GetProperty("batch").GetProperty("count").GetInt32(), Is.EqualTo(Documents));

            foreach (var (what, tampered) in Tampered())
            {
                var js = Js(tampered.ToJson());
                var cs = _verifier.Verify(EvidenceProof.FromJson(tampered.ToJson()));
                Assert.That(js.GetProperty("code").GetString(), Is.EqualTo(cs.Result.Code.ToString()), $"{what}: {js}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
