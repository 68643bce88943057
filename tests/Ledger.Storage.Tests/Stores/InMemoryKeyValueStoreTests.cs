namespace Ledger.Storage.Tests.Stores;

public class InMemoryKeyValueStoreTests : KeyValueStoreContract
{
    protected override IKeyValueStore CreateStore() => new InMemoryKeyValueStore();
}
