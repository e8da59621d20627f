package io.mycel.content.blockstore;

class MemoryBlockstoreTest extends BlockstoreContractTest {
  @Override
  protected Blockstore createStore(long quotaBytes) {
    return new MemoryBlockstore(quotaBytes);
  }
}
