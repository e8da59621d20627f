package io.mycel.content.unixfs;

import java.util.function.LongConsumer;

/** What an import reports while it runs; called on the importing thread. */
public interface ImportProgress {
  ImportProgress NONE = new ImportProgress() {};

  /** File bytes imported so far, over the whole import (called after each chunk). */
  default void bytesProcessed(long total) {}

  /**
   * An entry of a directory import is done ({@code path} relative to the imported folder's
   * parent, with {@code /} separators, so it starts with the folder's own name).
   */
  default void entryImported(String path, ImportResult result) {}

  /** A progress that only forwards byte counts. */
  static ImportProgress ofBytes(LongConsumer consumer) {
    return new ImportProgress() {
      @Override
      public void bytesProcessed(long total) {
        consumer.accept(total);
      }
    };
  }
}
