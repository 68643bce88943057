using Ledger.Core.Crypto;
using Ledger.Core.Merkle;
using Ledger.Crypto;
using Ledger.TestKit;

namespace Ledger.Core.Tests.Merkle;

public class MerkleTreeTests
{
    private static readonly IHasher Hasher = Sm3Hasher.Instance;

    private static Hash32[] Leaves(int count) =>
        Enumerable.Range(0, count).Select(i => MerkleTree.LeafHash(Hasher, BitConverter.GetBytes(i))).ToArray();

    /// <summary>RFC 6962 §2.1 written as its recursive definition, to check the iterative implementation against.</summary>
    private static Hash32 ReferenceRoot(ReadOnlySpan<Hash32> leaves)
    {
        if (leaves.Length == 1) return leaves[0];
        var k = 1;
        while (k * 2 < leaves.Length) k *= 2;
        return MerkleTree.NodeHash(Hasher, ReferenceRoot(leaves[..k]), ReferenceRoot(leaves[k..]));
    }

    [Test]
    public void Every_leaf_of_every_tree_of_size_1_to_257_verifies()
    {
        for (var size = 1; size <= 257; size++)
        {
            var leaves = Leaves(size);
            var root = MerkleTree.Root(Hasher, leaves);
            Assert.That(root, Is.EqualTo(ReferenceRoot(leaves)), $"size {size}");
            for (var i = 0; i < size; i++)
            {
                var proof = MerkleTree.Prove(Hasher, leaves, i);
                Assert.That(MerkleTree.Verify(Hasher, leaves[i], proof, root), Is.True, $"leaf {i} of {size}");
            }
        }
    }

    [Test]
    public void A_wrong_sibling_index_leaf_or_size_fails()
    {
        var random = new RandomFormats(5);
        for (var size = 2; size <= 257; size++)
        {
            var leaves = Leaves(size);
            var root = MerkleTree.Root(Hasher, leaves);
            var i = random.Random.Next(size);
            var proof = MerkleTree.Prove(Hasher, leaves, i);

            var path = proof.Path.ToArray();
            var s = random.Random.Next(path.Length);
            path[s] = random.Hash();
            Assert.That(MerkleTree.Verify(Hasher, leaves[i], proof with { Path = path }, root), Is.False, "wrong sibling");

            Assert.That(MerkleTree.Verify(Hasher, leaves[(i + 1) % size], proof, root), Is.False, "wrong leaf");
            Assert.That(MerkleTree.Verify(Hasher, leaves[i], proof with { LeafIndex = (i + 1) % size }, root), Is.False, "wrong index");
            Assert.That(MerkleTree.Verify(Hasher, leaves[i], proof with { Path = [.. proof.Path, random.Hash()] }, root), Is.False, "extra sibling");
            Assert.That(MerkleTree.Verify(Hasher, leaves[i], proof with { Path = proof.Path.Take(proof.Path.Count - 1).ToArray() }, root), Is.False, "missing sibling");
        }
    }

    [Test]
    public void A_leaf_cannot_pass_for_an_inner_node()
    {
        var leaves = Leaves(2);
        var node = MerkleTree.NodeHash(Hasher, leaves[0], leaves[1]);
        Span<byte> concatenated = stackalloc byte[64];
        leaves[0].CopyTo(concatenated);
        leaves[1].CopyTo(concatenated[32..]);
        Assert.That(MerkleTree.LeafHash(Hasher, concatenated), Is.Not.EqualTo(node));
    }

    [Test]
    public void The_empty_tree_has_the_hash_of_nothing_as_root() =>
        Assert.That(MerkleTree.Root(Hasher, []), Is.EqualTo(Hasher.Hash([])));

    [Test]
    public void Single_leaf_tree_root_is_the_leaf_and_its_proof_is_empty()
    {
        var leaves = Leaves(1);
        Assert.That(MerkleTree.Root(Hasher, leaves), Is.EqualTo(leaves[0]));
        Assert.That(MerkleTree.Prove(Hasher, leaves, 0).Path, Is.Empty);
    }
}
