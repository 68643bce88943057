using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests;

public class StateOverlayTests
{
    private static readonly byte[] Prefix = Bytes.Of('s');

    private InMemoryKeyValueStore _store = null!;

    [SetUp]
    public void CreateStore()
    {
        _store = new InMemoryKeyValueStore();
        var batch = new WriteBatch();
        batch.Put(Bytes.Of('s', 1), Bytes.Of(10));
        batch.Put(Bytes.Of('s', 2), Bytes.Of(20));
        batch.Put(Bytes.Of('x', 1), Bytes.Of(99)); // outside the state prefix
        _store.Write(batch);
    }

    [TearDown]
    public void DisposeStore() => _store.Dispose();

    private StateOverlay Root() => new(_store, Prefix);

    [Test]
    public void Reads_fall_through_to_the_store_under_the_prefix_only()
    {
        var state = Root();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(10)));
            Assert.That(state.Get(Bytes.Of('s', 1)), Is.Null, "keys are relative to the prefix");
            Assert.That(new StateOverlay(_store, Bytes.Of('x')).Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(99)));
            Assert.That(state.Get(Bytes.Of(3)), Is.Null);
        }
    }

    [Test]
    public void Reads_see_the_overlays_own_writes_before_the_parent()
    {
        var state = Root();
        state.Put(Bytes.Of(1), Bytes.Of(11));
        state.Put(Bytes.Of(3), Bytes.Of(33));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(state.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(11)));
            Assert.That(state.Get(Bytes.Of(3)), Is.EqualTo(Bytes.Of(33)));
            Assert.That(state.Get(Bytes.Of(2)), Is.EqualTo(Bytes.Of(20)));
            Assert.That(_store.Get(Bytes.Of('s', 1)), Is.EqualTo(Bytes.Of(10)), "the store is untouched");
        }
    }

    [Test]
    public void A_delete_shadows_the_parent_and_a_later_put_restores_the_key()
    {
        var block = Root();
        var tx = new StateOverlay(block);
        tx.Delete(Bytes.Of(1));
        Assert.That(tx.Get(Bytes.Of(1)), Is.Null);
        Assert.That(block.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(10)), "the parent still has it");
        tx.Put(Bytes.Of(1), Bytes.Of(12));
        Assert.That(tx.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(12)));
    }

    [Test]
    public void Changes_are_in_key_order_with_null_for_a_delete()
    {
        var state = Root();
        state.Put(Bytes.Of(0xFF), Bytes.Of(1));
        state.Delete(Bytes.Of(2));
        state.Put(Bytes.Of(0x00, 0x01), Bytes.Of(2));
        state.Put(Bytes.Of(0x80), Bytes.Of(3));
        var changes = state.Changes.Select(c => Bytes.Hex(c.Key) + "=" + (c.Value is null ? "deleted" : Bytes.Hex(c.Value)));
        Assert.That(changes, Is.EqualTo(new[] { "0001=02", "02=deleted", "80=03", "ff=01" }));
    }

    [Test]
    public void Merging_a_child_applies_its_writes_and_deletes_to_the_parent_only()
    {
        var block = Root();
        var tx = new StateOverlay(block);
        tx.Put(Bytes.Of(1), Bytes.Of(11));
        tx.Delete(Bytes.Of(2));
        tx.Put(Bytes.Of(4), Bytes.Of(44));
        tx.MergeInto(block);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(block.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(11)));
            Assert.That(block.Get(Bytes.Of(2)), Is.Null);
            Assert.That(block.Get(Bytes.Of(4)), Is.EqualTo(Bytes.Of(44)));
            Assert.That(block.Changes, Has.Count.EqualTo(3));
            Assert.That(_store.Get(Bytes.Of('s', 2)), Is.EqualTo(Bytes.Of(20)), "nothing reaches the store");
        }
    }

    [Test]
    public void Nested_overlays_merge_level_by_level()
    {
        var block = Root();
        var tx = new StateOverlay(block);
        var call = new StateOverlay(tx);
        call.Put(Bytes.Of(5), Bytes.Of(55));
        call.Delete(Bytes.Of(1));
        Assert.That(tx.Get(Bytes.Of(5)), Is.Null, "not merged yet");
        call.MergeInto(tx);
        Assert.That(block.Get(Bytes.Of(5)), Is.Null, "merged one level only");
        Assert.That(tx.Get(Bytes.Of(1)), Is.Null);
        tx.MergeInto(block);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(block.Get(Bytes.Of(5)), Is.EqualTo(Bytes.Of(55)));
            Assert.That(block.Get(Bytes.Of(1)), Is.Null);
        }
    }

    [Test]
    public void A_later_merge_overwrites_an_earlier_one_key_by_key()
    {
        var block = Root();
        var first = new StateOverlay(block);
        first.Put(Bytes.Of(1), Bytes.Of(1));
        first.Put(Bytes.Of(7), Bytes.Of(7));
        first.MergeInto(block);
        var second = new StateOverlay(block);
        second.Delete(Bytes.Of(7));
        second.Put(Bytes.Of(1), Bytes.Of(2));
        second.MergeInto(block);
        Assert.That(block.Changes.Select(c => Bytes.Hex(c.Key) + "=" + (c.Value is null ? "deleted" : Bytes.Hex(c.Value))),
            Is.EqualTo(new[] { "01=02", "07=deleted" }));
    }

    [Test]
    public void A_discarded_child_leaves_the_parent_untouched_and_cannot_be_used()
    {
        var block = Root();
        var tx = new StateOverlay(block);
        tx.Put(Bytes.Of(1), Bytes.Of(66));
        tx.Discard();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(block.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(10)));
            Assert.That(block.Changes, Is.Empty);
            Assert.Throws<InvalidOperationException>(() => tx.Get(Bytes.Of(1)));
            Assert.Throws<InvalidOperationException>(() => tx.Put(Bytes.Of(1), Bytes.Of(1)));
            Assert.Throws<InvalidOperationException>(() => tx.MergeInto(block));
        }
    }

    [Test]
    public void A_merged_child_cannot_be_merged_twice()
    {
        var block = Root();
        var tx = new StateOverlay(block);
        tx.Put(Bytes.Of(1), Bytes.Of(1));
        tx.MergeInto(block);
        Assert.Throws<InvalidOperationException>(() => tx.MergeInto(block));
    }

    [Test]
    public void An_overlay_merges_only_into_its_own_parent()
    {
        var block = Root();
        var other = Root();
        var tx = new StateOverlay(block);
        tx.Put(Bytes.Of(1), Bytes.Of(1));
        Assert.Throws<InvalidOperationException>(() => tx.MergeInto(other));
        Assert.That(other.Changes, Is.Empty);
    }

    [Test]
    public void A_child_of_a_discarded_parent_cannot_read_through_it()
    {
        var block = Root();
        var tx = new StateOverlay(block);
        block.Discard();
        Assert.Throws<InvalidOperationException>(() => tx.Get(Bytes.Of(1)));
    }

    [Test]
    public void CopyTo_puts_and_deletes_each_change_under_the_prefix()
    {
        var state = Root();
        state.Put(Bytes.Of(1), Bytes.Of(11));
        state.Delete(Bytes.Of(2));
        state.Put(Bytes.Of(3), []);
        var batch = new WriteBatch();
        state.CopyTo(batch, Prefix);
        _store.Write(batch);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_store.Scan(Prefix).Select(e => Bytes.Hex(e.Key) + "=" + Bytes.Hex(e.Value)), Is.EqualTo(new[] { "7301=0b", "7303=" }));
            Assert.That(_store.Get(Bytes.Of('x', 1)), Is.EqualTo(Bytes.Of(99)));
            Assert.That(Root().Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(11)));
        }
    }

    [Test]
    public void Values_read_or_written_are_copies()
    {
        var state = Root();
        var value = Bytes.Of(5);
        state.Put(Bytes.Of(9), value);
        value[0] = 6;
        state.Get(Bytes.Of(9))![0] = 7;
        Assert.That(state.Get(Bytes.Of(9)), Is.EqualTo(Bytes.Of(5)));
    }
}
