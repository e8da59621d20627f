package io.mycel.routing.kad;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import io.mycel.routing.kad.ProviderStore.Provider;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT's provider records kept on disk (one file per key under a directory such as
 * {@code <home>/dht/providers}), each with the instant it expires, so that a restarted node still
 * answers for the content others announced to it (<a
 * href="https://github.com/libp2p/specs/blob/master/kad-dht/README.md#content-provider-advertisement-and-discovery">spec</a>).
 * {@link ProviderStore} writes through to it and drops expired records on loading.
 */
public final class PersistentProviderStore {
  private static final Logger log = LoggerFactory.getLogger(PersistentProviderStore.class);
  private static final int MAGIC = 0x4d4b5031; // "MKP1"

  /** Most providers a file may list. */
  static final int MAX_PROVIDERS_PER_FILE = 4096;
  /** Most addresses one provider may list. */
  static final int MAX_ADDRESSES = 256;

  /** A provider record and when it expires. */
  public record Entry(Provider provider, Instant expires) {
    public Entry {
      if (provider == null || expires == null) {
        throw new IllegalArgumentException("provider and expiry are required");
      }
    }
  }

  private final StoreFiles files;

  public PersistentProviderStore(Path directory) {
    this.files = new StoreFiles(directory, MAGIC);
  }

  public Path directory() {
    return files.directory();
  }

  /** Replaces the providers kept for {@code key} with {@code entries}; none deletes the file. */
  public void put(byte[] key, List<Entry> entries) {
    try {
      if (entries.isEmpty()) {
        files.delete(key);
        return;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(entries.size());
      for (Entry entry : entries) {
        StoreFiles.writeField(out, entry.provider().peer().bytes());
        out.writeLong(entry.expires().toEpochMilli());
        out.writeInt(entry.provider().addresses().size());
        for (Multiaddr address : entry.provider().addresses()) {
          StoreFiles.writeField(out, address.bytes());
        }
      }
      out.flush();
      files.write(key, bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store DHT providers in " + files.directory(), e);
    }
  }

  /** Every provider record kept, by key, oldest first; unreadable files are deleted. */
  public Map<byte[], List<Entry>> load() {
    Map<byte[], List<Entry>> all = new LinkedHashMap<>();
    try {
      for (StoreFiles.Entry file : files.readAll()) {
        try {
          all.put(file.key(), read(file.body()));
        } catch (IOException | RuntimeException e) {
          log.warn("dropping unreadable DHT provider file {}: {}", file.file(), e.getMessage());
          files.delete(file.key());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read DHT providers from " + files.directory(), e);
    }
    return all;
  }

  private static List<Entry> read(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_PROVIDERS_PER_FILE) {
      throw new IOException("provider count " + count + " out of range");
    }
    List<Entry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      PeerId peer = PeerId.fromBytes(StoreFiles.readField(in));
      Instant expires = Instant.ofEpochMilli(in.readLong());
      int addressCount = in.readInt();
      if (addressCount < 0 || addressCount > MAX_ADDRESSES) {
        throw new IOException("address count " + addressCount + " out of range");
      }
      List<Multiaddr> addresses = new ArrayList<>(addressCount);
      for (int j = 0; j < addressCount; j++) {
        addresses.add(Multiaddr.fromBytes(StoreFiles.readField(in)));
      }
      entries.add(new Entry(new Provider(peer, addresses), expires));
    }
    return entries;
  }
}
