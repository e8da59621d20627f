package io.mycel.routing.kad;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT's value records kept on disk (one file per key under a directory such as
 * {@code <home>/dht/records}), so that a restarted node still serves the records it was given (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md#value-storage-and-retrieval">spec</a>).
 * Whether a loaded record is still valid is for the namespace's {@link RecordValidator} to say;
 * the DHT drops the ones it refuses.
 */
public final class PersistentRecordStore {
  private static final Logger log = LoggerFactory.getLogger(PersistentRecordStore.class);
  private static final int MAGIC = 0x4d4b5231; // "MKR1"

  private final StoreFiles files;

  public PersistentRecordStore(Path directory) {
    this.files = new StoreFiles(directory, MAGIC);
  }

  public Path directory() {
    return files.directory();
  }

  /** Keeps {@code value} as the record of {@code key}, replacing the one kept before. */
  public void put(byte[] key, byte[] value) {
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      StoreFiles.writeField(new DataOutputStream(body), value);
      files.write(key, body.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store DHT record in " + files.directory(), e);
    }
  }

  public void remove(byte[] key) {
    try {
      files.delete(key);
    } catch (IOException e) {
      log.warn("cannot delete DHT record file {}: {}", files.fileOf(key), e.getMessage());
    }
  }

  /** Every record kept, by key; unreadable files are deleted. */
  public Map<byte[], byte[]> load() {
    Map<byte[], byte[]> records = new LinkedHashMap<>();
    try {
      for (StoreFiles.Entry entry : files.readAll()) {
        try {
          records.put(entry.key(), StoreFiles.readField(entry.body()));
        } catch (IOException e) {
          log.warn("dropping unreadable DHT record file {}: {}", entry.file(), e.getMessage());
          files.delete(entry.key());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read DHT records from " + files.directory(), e);
    }
    return records;
  }
}
