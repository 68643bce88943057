using System.Text;

namespace Ledger.Crypto.Tests;

public class Sm3Tests
{
    // GB/T 32905-2016 Annex A, examples 1 and 2.
    [TestCase("abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")]
    [TestCase("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")]
    public void Matches_the_standard_examples(string message, string expected)
    {
        Assert.That(Sm3.Hash(Encoding.ASCII.GetBytes(message)).ToHex(), Is.EqualTo(expected));
    }

    [Test]
    public void Stream_hash_equals_span_hash_across_chunk_boundaries()
    {
        var random = new Random(7);
        foreach (var size in new[] { 0, 1, 63, 64, 65, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 300_000 })
        {
            var data = new byte[size];
            random.NextBytes(data);
            using var stream = new MemoryStream(data);
            Assert.That(Sm3.Hash(stream), Is.EqualTo(Sm3.Hash(data)), $"size {size}");
        }
    }

    [Test]
    public void Hasher_domain_form_equals_hash_of_concatenation()
    {
        var first = "left"u8.ToArray();
        var second = "right"u8.ToArray();
        var joined = new byte[] { 0x01 }.Concat(first).Concat(second).ToArray();
        Assert.That(Sm3Hasher.Instance.Hash(0x01, first, second), Is.EqualTo(Sm3.Hash(joined)));
        Assert.That(Sm3Hasher.Instance.Hash(0x00, first, second), Is.Not.EqualTo(Sm3.Hash(joined)));
    }

    [Test]
    public void Hasher_gives_the_same_answers_from_many_threads()
    {
        var inputs = Enumerable.Range(0, 200).Select(i => Encoding.ASCII.GetBytes($"input {i}")).ToArray();
        var expected = inputs.Select(i => Sm3.Hash(i)).ToArray();
        var actual = new Ledger.Core.Hash32[inputs.Length];
        Parallel.For(0, inputs.Length, i => actual[i] = Sm3Hasher.Instance.Hash(inputs[i]));
        Assert.That(actual, Is.EqualTo(expected));
    }
}
