using System.Collections.Concurrent;
using System.Text;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;

namespace Ledger.Client.Tests.Evidence;

/// <summary>
/// Changing any single byte of the proof's content — inside every base64 field (decoded), every hex hash, every
/// number — makes verification fail with a typed reason, and never throws.
/// </summary>
public class ProofTamperingTests
{
    private static ProofFixture F => ProofFixture.Instance;
    private static readonly EvidenceVerifier Verifier = new(F.Network.Genesis);

    /// <summary>Each binary field of proof.json: how to read its bytes and how to write altered bytes back.</summary>
    private static IEnumerable<TestCaseData> BinaryFields()
    {
        yield return Field("envelope", p => Convert.FromBase64String(p.Envelope), (p, b) => p with { Envelope = Convert.ToBase64String(b) });
        yield return Field("receipt", p => Convert.FromBase64String(p.Receipt), (p, b) => p with { Receipt = Convert.ToBase64String(b) });
        yield return Field("header", p => Convert.FromBase64String(p.Header), (p, b) => p with { Header = Convert.ToBase64String(b) });
        yield return Field("commit", p => Convert.FromBase64String(p.Commit), (p, b) => p with { Commit = Convert.ToBase64String(b) });
        for (var i = 0; i < F.Proof.Validators.Count; i++)
        {
            var index = i;
            yield return Field($"validators[{i}]", p => PemBody(p.Validators[index]),
                (p, b) => p with { Validators = p.Validators.Select((v, j) => j == index ? Pem(b) : v).ToArray() });
        }
        yield return Field("intermediates[0]", p => PemBody(p.Intermediates[0]), (p, b) => p with { Intermediates = [Pem(b)] });
    }

    private static TestCaseData Field(string name, Func<EvidenceProof, byte[]> read, Func<EvidenceProof, byte[], EvidenceProof> write) =>
        new TestCaseData(read, write).SetArgDisplayNames(name);

    [TestCaseSource(nameof(BinaryFields))]
    public void Every_flipped_byte_of_a_binary_field_fails(Func<EvidenceProof, byte[]> read, Func<EvidenceProof, byte[], EvidenceProof> write)
    {
        var original = read(F.Proof);
        Assert.That(Verifier.Verify(write(F.Proof, original)).IsValid, Is.True, "control: the untouched field round-trips");

        var accepted = new ConcurrentBag<int>();
        Parallel.For(0, original.Length, i =>
        {
            var altered = (byte[])original.Clone();
            altered[i] ^= 0x01;
            if (Verifier.Verify(write(F.Proof, altered)).IsValid) accepted.Add(i);
        });

        Assert.That(accepted.Order(), Is.Empty, $"offsets (of {original.Length}) whose change went unnoticed");
    }

    private static IEnumerable<TestCaseData> HexFields()
    {
        yield return Hex("txId", p => p.TxId, (p, s) => p with { TxId = s });
        for (var i = 0; i < F.Proof.TxPath.Count; i++)
        {
            var index = i;
            yield return Hex($"txPath[{i}]", p => p.TxPath[index], (p, s) => p with { TxPath = p.TxPath.Select((h, j) => j == index ? s : h).ToArray() });
        }
        for (var i = 0; i < F.Proof.ReceiptPath.Count; i++)
        {
            var index = i;
            yield return Hex($"receiptPath[{i}]", p => p.ReceiptPath[index], (p, s) => p with { ReceiptPath = p.ReceiptPath.Select((h, j) => j == index ? s : h).ToArray() });
        }
    }

    private static TestCaseData Hex(string name, Func<EvidenceProof, string> read, Func<EvidenceProof, string, EvidenceProof> write) =>
        new TestCaseData(read, write).SetArgDisplayNames(name);

    [TestCaseSource(nameof(HexFields))]
    public void Every_changed_digit_of_a_hash_fails(Func<EvidenceProof, string> read, Func<EvidenceProof, string, EvidenceProof> write)
    {
        var original = read(F.Proof);
        var accepted = new List<int>();
        for (var i = 0; i < original.Length; i++)
        {
            var digit = Convert.ToInt32(original[i].ToString(), 16) ^ 1;
            var altered = original[..i] + digit.ToString("x") + original[(i + 1)..];
            if (Verifier.Verify(write(F.Proof, altered)).IsValid) accepted.Add(i);
        }
        Assert.That(accepted, Is.Empty);
    }

    [Test]
    public void A_moved_leaf_position_or_an_impossible_tree_size_fails()
    {
        var proofs = new[]
        {
            F.Proof with { TxIndex = F.Proof.TxIndex + 1 },
            F.Proof with { TxIndex = F.Proof.TxIndex - 1 },
            F.Proof with { TxCount = F.Proof.TxCount - 1 },
            F.Proof with { TxCount = F.Proof.TxIndex },
            F.Proof with { TxIndex = -1 },
            F.Proof with { TxCount = 0 },
        };

        Assert.That(proofs.Select(p => Verifier.Verify(p).Result.Code), Is.All.EqualTo(ErrorCode.InvalidMerkleProof));
    }

    [Test]
    public void A_tree_size_of_the_same_shape_fails_because_the_header_counts_the_txs()
    {
        // Sizes 5 and 6 give leaf 2 the same path shape, so the Merkle path alone cannot tell them apart
        // (RFC 9162 has the same property); the header's tx count, under the seals, does.
        var resized = Verifier.Verify(F.Proof with { TxCount = F.Proof.TxCount + 1 });
        Assert.That(resized.Result.Code, Is.EqualTo(ErrorCode.InvalidMerkleProof));
    }

    [Test]
    public void A_changed_chain_id_fails()
    {
        Assert.That(Verifier.Verify(F.Proof with { ChainId = F.Proof.ChainId + "x" }).Result.Code, Is.EqualTo(ErrorCode.WrongChainId));
    }

    [Test]
    public void A_dropped_or_added_path_entry_fails()
    {
        var shorter = F.Proof with { TxPath = F.Proof.TxPath.Skip(1).ToArray() };
        var longer = F.Proof with { ReceiptPath = [.. F.Proof.ReceiptPath, F.Proof.ReceiptPath[0]] };

        Assert.That(Verifier.Verify(shorter).Result.Code, Is.EqualTo(ErrorCode.InvalidMerkleProof));
        Assert.That(Verifier.Verify(longer).Result.Code, Is.EqualTo(ErrorCode.InvalidMerkleProof));
    }

    [Test]
    public void Every_truncation_of_proof_json_is_a_typed_InvalidProof()
    {
        var json = F.Proof.ToJson();
        var untyped = new ConcurrentBag<string>();
        var accepted = new ConcurrentBag<int>();
        // Every length up to the closing brace: the JSON is either cut (InvalidProof at parsing) or, past the
        // last brace, complete again.
        Parallel.For(0, json.LastIndexOf('}'), length =>
        {
            try
            {
                var proof = EvidenceProof.FromJson(json[..length]);
                if (Verifier.Verify(proof).IsValid) accepted.Add(length);
            }
            catch (LedgerException e) when (e.Code == ErrorCode.InvalidProof)
            {
            }
            catch (Exception e)
            {
                untyped.Add($"{length}: {e.GetType().Name}");
            }
        });

        Assert.That(untyped, Is.Empty);
        Assert.That(accepted, Is.Empty);
    }

    [TestCase("")]
    [TestCase("null")]
    [TestCase("[]")]
    [TestCase("{}")]
    [TestCase("not json at all")]
    [TestCase("{\"format\":\"ledger-evidence-proof\",\"version\":1}")]
    [TestCase("{\"format\":\"something-else\",\"version\":1,\"chainId\":\"x\"}")]
    public void Malformed_json_is_a_typed_InvalidProof(string json)
    {
        var e = Assert.Throws<LedgerException>(() => EvidenceProof.FromJson(json));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidProof));
    }

    [Test]
    public void Fields_that_are_not_base64_or_hex_are_InvalidProof_not_exceptions()
    {
        var proofs = new[]
        {
            F.Proof with { Envelope = "%%%" },
            F.Proof with { Header = "" },
            F.Proof with { TxId = "xyz" },
            F.Proof with { TxPath = ["00"] },
            F.Proof with { Validators = ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"] },
            F.Proof with { Intermediates = ["garbage"] },
        };

        Assert.That(proofs.Select(p => Verifier.Verify(p).Result.Code), Is.All.EqualTo(ErrorCode.InvalidProof));
    }

    private static byte[] PemBody(string pem) =>
        Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));

    private static string Pem(byte[] der)
    {
        var base64 = Convert.ToBase64String(der);
        var text = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (var i = 0; i < base64.Length; i += 64) text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        return text.Append("-----END CERTIFICATE-----\n").ToString();
    }
}
