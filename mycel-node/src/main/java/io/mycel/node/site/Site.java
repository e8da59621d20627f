package io.mycel.node.site;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A site this home publishes: a folder added and pinned as {@code cid}, whose IPNS name
 * {@code ipnsName} (signed by the key {@code key}) points at {@code /ipfs/<cid>}.
 *
 * @param name the site's local name
 * @param key the name of the key in the keystore that signs the site's records
 * @param ipnsName the site's IPNS name in base36 ({@code k51...})
 * @param cid the root of the folder's last published version
 * @param source the folder it was published from ({@code upload} when sent through the API)
 * @param publishedAt when it was last published, ISO-8601
 * @param sequence the sequence of the last record
 * @param peers how many DHT peers accepted the last record; 0 means the name is known only to
 *     this home until the daemon announces it
 */
public record Site(String name, String key, String ipnsName, String cid, String source,
    String publishedAt, long sequence, int peers) {
  public Site {
    Sites.checkName(name);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ipnsName, "ipnsName");
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(publishedAt, "publishedAt");
    if (peers < 0) {
      throw new IllegalArgumentException("peers must not be negative: " + peers);
    }
  }

  /** The path that opens the site on any gateway: {@code /ipns/<name>}. */
  public String ipnsPath() {
    return "/ipns/" + ipnsName;
  }

  /** Whether the last record reached at least one DHT peer. */
  public boolean announced() {
    return peers > 0;
  }

  /** This site as the API and {@code mycel site ... --json} show it, with its URLs. */
  public Map<String, Object> describe(SiteUrls urls) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("name", name);
    result.put("ipnsName", ipnsName);
    result.put("cid", cid);
    result.put("key", key);
    result.put("source", source);
    result.put("publishedAt", publishedAt);
    result.put("sequence", Long.toUnsignedString(sequence));
    result.put("peers", peers);
    result.put("announced", announced());
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("gateway", urls.gateway());
    u.put("subdomain", urls.subdomain());
    u.put("path", urls.path());
    result.put("urls", u);
    return result;
  }

  Site withPeers(int newPeers, long newSequence, String when) {
    return new Site(name, key, ipnsName, cid, source, when, newSequence, newPeers);
  }
}
