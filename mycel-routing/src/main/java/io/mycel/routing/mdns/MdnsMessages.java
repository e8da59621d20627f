package io.mycel.routing.mdns;

import io.mycel.core.multiaddr.Multiaddr;
import io.mycel.core.peer.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS messages of libp2p mDNS discovery, built and checked without I/O.
 *
 * <p>A query asks {@code _p2p._udp.local PTR}. A response answers {@code _p2p._udp.local PTR
 * <peer-name>._p2p._udp.local} and carries, as additional record, {@code <peer-name>._p2p._udp.local
 * TXT} with one {@code dnsaddr=<multiaddr>/p2p/<peer id>} string per address (<a
 * href="https://github.com/libp2p/specs/blob/master/discovery/mdns.md#response">spec,
 * Response</a>). When reading, TXT records are taken from the answers too, where js-libp2p puts
 * them. The peer name is random and says nothing; the peer id is the one every address ends with.
 */
public final class MdnsMessages {
  private static final String DNSADDR = "dnsaddr=";
  /** RFC 6762 section 10.2: the top bit of a record's class is the cache-flush bit. */
  private static final int CLASS_MASK = 0x7FFF;
  /** RFC 6762 section 5.4: the top bit of a question's class asks for a unicast response. */
  private static final int UNICAST_RESPONSE_BIT = 0x8000;
  private static final String PEER_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  public static final int MIN_PEER_NAME_LENGTH = 32;
  /** A DNS label is at most 63 bytes. */
  public static final int MAX_PEER_NAME_LENGTH = 63;

  /** A decoded packet: a query or a response. */
  public sealed interface Packet permits Query, Response {}

  /**
   * A query.
   *
   * @param asksForPeers whether it asks for the service's PTR records (or for any type)
   * @param unicastResponse whether that question asks for a unicast answer
   */
  public record Query(boolean asksForPeers, boolean unicastResponse) implements Packet {}

  /**
   * A response.
   *
   * @param announcements the peers it announces validly
   * @param rejected why announcements of the service in it were refused, one line each
   */
  public record Response(List<Announcement> announcements, List<String> rejected)
      implements Packet {
    public Response {
      announcements = List.copyOf(announcements);
      rejected = List.copyOf(rejected);
    }

    public List<DiscoveredPeer> peers() {
      return announcements.stream().map(Announcement::peer).toList();
    }
  }

  /**
   * One peer announced in a response.
   *
   * @param peerName the first label of the PTR target
   * @param peer the id and addresses of its TXT record
   */
  public record Announcement(String peerName, DiscoveredPeer peer) {}

  private final MdnsConfig config;
  private final Name service;

  public MdnsMessages(MdnsConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    try {
      this.service = Name.fromString(config.serviceName(), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid mDNS service name " + config.serviceName(), e);
    }
  }

  /** A random peer name: 32 to 63 letters and digits, one DNS label. */
  public static String randomPeerName(RandomGenerator random) {
    int length = MIN_PEER_NAME_LENGTH
        + random.nextInt(MAX_PEER_NAME_LENGTH - MIN_PEER_NAME_LENGTH + 1);
    StringBuilder name = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      name.append(PEER_NAME_ALPHABET.charAt(random.nextInt(PEER_NAME_ALPHABET.length())));
    }
    return name.toString();
  }

  /** The query {@code <service> PTR}, with a multicast answer asked for. */
  public byte[] query() {
    Message query = new Message(0);
    query.addRecord(Record.newRecord(service, Type.PTR, DClass.IN), Section.QUESTION);
    return query.toWire();
  }

  /**
   * The response announcing {@code addresses} (each ending in {@code /p2p/<id>}) under {@code
   * peerName}. Addresses whose TXT string would exceed 255 bytes are left out, and so are the last
   * ones while the packet exceeds {@link MdnsConfig#maxPacketBytes()}.
   *
   * @return the packet, or empty when no address fits
   */
  public Optional<byte[]> response(String peerName, List<Multiaddr> addresses) {
    Name target;
    try {
      target = Name.concatenate(Name.fromString(peerName), service);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("invalid mDNS peer name " + peerName, e);
    }
    List<String> strings = new ArrayList<>();
    for (Multiaddr address : addresses) {
      String text = DNSADDR + address;
      boolean plain = text.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '"' && c != '\\');
      if (address.peerId().isPresent() && plain
          && text.length() <= MdnsConfig.MAX_TXT_STRING_BYTES) {
        strings.add(text);
      }
    }
    long ttl = config.ttl().toSeconds();
    for (int n = strings.size(); n > 0; n--) {
      Message response = new Message(0);
      response.getHeader().setFlag(Flags.QR);
      response.getHeader().setFlag(Flags.AA);
      response.addRecord(new PTRRecord(service, DClass.IN, ttl, target), Section.ANSWER);
      response.addRecord(new TXTRecord(target, DClass.IN, ttl, strings.subList(0, n)),
          Section.ADDITIONAL);
      byte[] wire = response.toWire();
      if (wire.length <= config.maxPacketBytes()) {
        return Optional.of(wire);
      }
    }
    return Optional.empty();
  }

  /**
   * Decodes a packet.
   *
   * @throws InvalidMdnsPacketException if it is larger than the limit, not a DNS message, or not a
   *     standard query or response
   */
  public Packet decode(byte[] packet, int length) throws InvalidMdnsPacketException {
    if (length > config.maxPacketBytes()) {
      throw new InvalidMdnsPacketException("packet of more than " + config.maxPacketBytes()
          + " bytes");
    }
    Message message;
    try {
      message = new Message(java.util.Arrays.copyOf(packet, length));
    } catch (IOException | RuntimeException e) {
      throw new InvalidMdnsPacketException("malformed DNS message: " + e.getMessage());
    }
    // RFC 6762 section 18.3 and 18.11: other opcodes and response codes are silently ignored.
    if (message.getHeader().getOpcode() != Opcode.QUERY
        || message.getHeader().getRcode() != Rcode.NOERROR) {
      throw new InvalidMdnsPacketException("not a standard DNS query or response (opcode "
          + message.getHeader().getOpcode() + ", rcode " + message.getHeader().getRcode() + ")");
    }
    if (!message.getHeader().getFlag(Flags.QR)) {
      return decodeQuery(message);
    }
    return decodeResponse(message);
  }

  private Query decodeQuery(Message message) {
    for (Record question : message.getSection(Section.QUESTION)) {
      boolean type = question.getType() == Type.PTR || question.getType() == Type.ANY;
      int dclass = question.getDClass() & CLASS_MASK;
      boolean klass = dclass == DClass.IN || dclass == DClass.ANY;
      if (type && klass && question.getName().equals(service)) {
        return new Query(true, (question.getDClass() & UNICAST_RESPONSE_BIT) != 0);
      }
    }
    return new Query(false, false);
  }

  private Response decodeResponse(Message message) {
    List<Record> txts = new ArrayList<>();
    List<Name> targets = new ArrayList<>();
    int skipped = 0;
    for (int section : new int[] {Section.ANSWER, Section.ADDITIONAL}) {
      for (Record record : message.getSection(section)) {
        if ((record.getDClass() & CLASS_MASK) != DClass.IN) {
          continue;
        }
        if (record instanceof PTRRecord ptr && section == Section.ANSWER
            && ptr.getName().equals(service) && !targets.contains(ptr.getTarget())) {
          if (targets.size() < config.maxPeersPerResponse()) {
            targets.add(ptr.getTarget());
          } else {
            skipped++;
          }
        } else if (record instanceof TXTRecord) {
          txts.add(record);
        }
      }
    }
    List<Announcement> peers = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    if (skipped > 0) {
      rejected.add(skipped + " peers beyond the first " + config.maxPeersPerResponse()
          + " of one response");
    }
    for (Name target : targets) {
      List<byte[]> strings = new ArrayList<>();
      for (Record txt : txts) {
        if (txt.getName().equals(target)) {
          strings.addAll(((TXTRecord) txt).getStringsAsByteArrays());
        }
      }
      String peerName = target.labels() > 0 ? target.getLabelString(0) : "";
      peerOf(target, strings, rejected).ifPresent(p -> peers.add(new Announcement(peerName, p)));
    }
    return new Response(peers, rejected);
  }

  private Optional<DiscoveredPeer> peerOf(Name target, List<byte[]> strings, List<String> rejected) {
    PeerId peer = null;
    List<Multiaddr> addresses = new ArrayList<>();
    for (byte[] bytes : strings) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (!text.startsWith(DNSADDR)) {
        continue;
      }
      Multiaddr address;
      try {
        address = Multiaddr.parse(text.substring(DNSADDR.length()));
      } catch (RuntimeException e) {
        rejected.add(target + ": invalid multiaddr \"" + text.substring(DNSADDR.length())
            + "\": " + e.getMessage());
        continue;
      }
      Optional<PeerId> id;
      try {
        id = address.peerId();
      } catch (RuntimeException e) {
        rejected.add(target + ": invalid peer id in " + address + ": " + e.getMessage());
        continue;
      }
      if (id.isEmpty()) {
        rejected.add(target + ": address " + address + " does not end in /p2p/<peer id>");
        continue;
      }
      if (peer == null) {
        peer = id.get();
      } else if (!peer.equals(id.get())) {
        rejected.add(target + ": addresses claim two peer ids, " + peer + " and " + id.get());
        return Optional.empty();
      }
      if (addresses.size() < config.maxAddresses()) {
        addresses.add(address.withoutPeerId());
      }
    }
    if (peer == null) {
      if (rejected.isEmpty() || !rejected.getLast().startsWith(target.toString())) {
        rejected.add(target + ": no dnsaddr with a peer id");
      }
      return Optional.empty();
    }
    return Optional.of(new DiscoveredPeer(peer, addresses));
  }
}
