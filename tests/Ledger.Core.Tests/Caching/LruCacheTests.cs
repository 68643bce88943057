using Ledger.Core.Caching;

namespace Ledger.Core.Tests.Caching;

public class LruCacheTests
{
    [Test]
    public void When_full_it_evicts_the_least_recently_used_entry_only()
    {
        var cache = new LruCache<int, string>(3);
        cache.Set(1, "a");
        cache.Set(2, "b");
        cache.Set(3, "c");
        Assert.That(cache.TryGetValue(1, out _), Is.True, "1 is now the most recently used");

        cache.Set(4, "d");

        Assert.That(cache.ContainsKey(2), Is.False, "2 was the least recently used");
        Assert.That(cache.TryGetValue(1, out var one) && one == "a", Is.True);
        Assert.That(cache.ContainsKey(3) && cache.ContainsKey(4), Is.True);
        Assert.That(cache.Count, Is.EqualTo(3));
        Assert.That(cache.Evictions, Is.EqualTo(1));
    }

    [Test]
    public void A_burst_of_new_keys_keeps_the_hot_entry_it_keeps_using()
    {
        // The caches this replaces emptied themselves when full: a burst lost the hot entries too.
        var cache = new LruCache<int, int>(100);
        cache.Set(-1, -1);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.That(cache.TryGetValue(-1, out _), Is.True, $"the hot key survives key {i}");
            cache.Set(i, i);
        }
        Assert.That(cache.Count, Is.EqualTo(100));
    }

    [Test]
    public void Replacing_a_value_does_not_grow_the_cache_and_get_or_add_keeps_the_first()
    {
        var cache = new LruCache<string, int>(2);
        cache.Set("x", 1);
        cache.Set("x", 2);
        Assert.That(cache.Count, Is.EqualTo(1));
        Assert.That(cache.GetOrAdd("x", 3), Is.EqualTo(2));
        Assert.That(cache.GetOrAdd("y", 4), Is.EqualTo(4));
        Assert.That(cache.Remove("x"), Is.True);
        Assert.That(cache.Remove("x"), Is.False);
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void Byte_array_keys_compare_by_content_with_a_comparer()
    {
        var cache = new LruCache<byte[], bool>(4, State.ByteArrayComparer.Instance);
        cache.Set([1, 2, 3], true);
        Assert.That(cache.ContainsKey([1, 2, 3]), Is.True);
        Assert.That(cache.ContainsKey([1, 2]), Is.False);
    }

    [Test]
    public void Concurrent_use_never_exceeds_the_capacity()
    {
        var cache = new LruCache<int, int>(64);
        Parallel.For(0, 50_000, i =>
        {
            cache.Set(i % 500, i);
            cache.TryGetValue((i * 7) % 500, out _);
            if (i % 97 == 0) cache.Remove(i % 500);
        });
        Assert.That(cache.Count, Is.LessThanOrEqualTo(64));
        var present = Enumerable.Range(0, 500).Count(cache.ContainsKey);
        Assert.That(present, Is.EqualTo(cache.Count), "the map and the recency list agree");
    }

    [Test]
    public void A_capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LruCache<int, int>(0));
    }
}
