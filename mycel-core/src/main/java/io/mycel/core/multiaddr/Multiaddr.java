package io.mycel.core.multiaddr;

import io.mycel.core.peer.PeerId;
import io.mycel.core.varint.Varint;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A self-describing network address such as {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3Koo...}.
 *
 * <p>See the <a href="https://github.com/multiformats/multiaddr">multiaddr spec</a>. The binary
 * form is a sequence of {@code <varint protocol code><value>} where the value is fixed-size or
 * varint-length-prefixed, per {@link Protocol}. Immutable; equal when the binary forms are equal.
 */
public final class Multiaddr {

  /** Longest binary form accepted when decoding. */
  public static final int MAX_LENGTH = 1024;

  private final List<Component> components;
  private final byte[] bytes;

  private Multiaddr(List<Component> components) {
    this.components = List.copyOf(components);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Component c : this.components) {
      c.writeTo(out);
    }
    this.bytes = out.toByteArray();
  }

  /** A multiaddr of the given components, in order. */
  public static Multiaddr of(List<Component> components) {
    return new Multiaddr(components);
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException on an empty address, an unknown protocol, a missing or
   *     invalid value, or an address longer than {@value #MAX_LENGTH} bytes
   */
  public static Multiaddr parse(String text) {
    String trimmed = text;
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty multiaddr");
    }
    if (trimmed.charAt(0) != '/') {
      throw new IllegalArgumentException("multiaddr must start with '/': " + text);
    }
    if (trimmed.length() > 8 * MAX_LENGTH) {
      throw new IllegalArgumentException("multiaddr text too long");
    }
    String[] parts = trimmed.substring(1).split("/", -1);
    List<Component> components = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      Protocol protocol = Protocol.forName(parts[i]).orElseThrow(
          () -> new IllegalArgumentException("unknown protocol in multiaddr: " + text));
      if (!protocol.hasValue()) {
        components.add(new Component(protocol, new byte[0]));
        continue;
      }
      String value;
      if (protocol.codec() == ValueCodec.PATH) {
        value = "/" + String.join("/", Arrays.copyOfRange(parts, i + 1, parts.length));
        i = parts.length;
        if (value.length() == 1) {
          throw new IllegalArgumentException("missing path for /" + protocol.protocolName());
        }
      } else {
        if (i + 1 >= parts.length) {
          throw new IllegalArgumentException(
              "missing value for /" + protocol.protocolName() + " in " + text);
        }
        value = parts[++i];
      }
      try {
        components.add(new Component(protocol, protocol.codec().toBytes(value)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid /" + protocol.protocolName() + " value '"
            + value + "': " + e.getMessage(), e);
      }
    }
    Multiaddr addr = new Multiaddr(components);
    if (addr.bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException("multiaddr longer than " + MAX_LENGTH + " bytes");
    }
    return addr;
  }

  /**
   * Decodes the binary form, which must fill {@code bytes} exactly.
   *
   * @throws IllegalArgumentException on empty, truncated or invalid input, an unknown protocol,
   *     or input longer than {@value #MAX_LENGTH} bytes
   */
  public static Multiaddr fromBytes(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty multiaddr");
    }
    if (bytes.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "multiaddr of " + bytes.length + " bytes exceeds " + MAX_LENGTH);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    List<Component> components = new ArrayList<>();
    try {
      while (buf.hasRemaining()) {
        long code = Varint.decode(buf);
        Protocol protocol = Protocol.forCode(code).orElseThrow(
            () -> new IllegalArgumentException("unknown multiaddr protocol code " + code));
        int size;
        if (protocol.sizeBits() == Protocol.LENGTH_PREFIXED) {
          long length = Varint.decode(buf);
          if (length > buf.remaining()) {
            throw new IllegalArgumentException("truncated /" + protocol.protocolName() + " value");
          }
          size = (int) length;
        } else {
          size = protocol.sizeBits() / 8;
          if (size > buf.remaining()) {
            throw new IllegalArgumentException("truncated /" + protocol.protocolName() + " value");
          }
        }
        byte[] value = new byte[size];
        buf.get(value);
        try {
          protocol.codec().validate(value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "invalid /" + protocol.protocolName() + " value: " + e.getMessage(), e);
        }
        components.add(new Component(protocol, value));
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated multiaddr");
    }
    return new Multiaddr(components);
  }

  /**
   * The address of a socket: {@code /ip4/<a>/tcp/<port>} or {@code /ip6/<a>/tcp/<port>}, or
   * {@code /dns/<host>/tcp/<port>} when the socket address is unresolved.
   */
  public static Multiaddr fromSocketAddress(InetSocketAddress address) {
    return fromSocketAddress(address, Protocol.TCP);
  }

  /** As {@link #fromSocketAddress(InetSocketAddress)}, with transport TCP or UDP. */
  public static Multiaddr fromSocketAddress(InetSocketAddress address, Protocol transport) {
    if (transport != Protocol.TCP && transport != Protocol.UDP) {
      throw new IllegalArgumentException("transport must be tcp or udp, not " + transport);
    }
    byte[] port = ValueCodec.PORT.toBytes(Integer.toString(address.getPort()));
    InetAddress ip = address.getAddress();
    Component host;
    if (ip == null) {
      host = Component.of(Protocol.DNS, address.getHostString());
    } else if (ip instanceof Inet4Address) {
      host = new Component(Protocol.IP4, ip.getAddress());
    } else {
      host = new Component(Protocol.IP6, ip.getAddress());
    }
    return new Multiaddr(List.of(host, new Component(transport, port)));
  }

  /** A copy of the binary form. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public List<Component> components() {
    return components;
  }

  /** This address followed by {@code inner}. */
  public Multiaddr encapsulate(Multiaddr inner) {
    List<Component> all = new ArrayList<>(components);
    all.addAll(inner.components);
    return new Multiaddr(all);
  }

  /** This address followed by the text address {@code inner}. */
  public Multiaddr encapsulate(String inner) {
    return encapsulate(parse(inner));
  }

  /**
   * This address up to, not including, the last occurrence of {@code suffix}; this address
   * itself when {@code suffix} does not occur.
   */
  public Multiaddr decapsulate(Multiaddr suffix) {
    List<Component> tail = suffix.components;
    for (int start = components.size() - tail.size(); start >= 0; start--) {
      if (components.subList(start, start + tail.size()).equals(tail)) {
        return new Multiaddr(components.subList(0, start));
      }
    }
    return this;
  }

  /** This address up to, not including, the last component of protocol {@code protocol}. */
  public Multiaddr decapsulate(Protocol protocol) {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol() == protocol) {
        return new Multiaddr(components.subList(0, i));
      }
    }
    return this;
  }

  /**
   * This address ending with {@code /p2p/<peer>}: itself when it already ends so.
   *
   * @throws IllegalArgumentException if it already ends with a different peer id
   */
  public Multiaddr withPeerId(PeerId peer) {
    Optional<PeerId> existing = peerId();
    if (existing.isPresent()) {
      if (existing.get().equals(peer)) {
        return this;
      }
      throw new IllegalArgumentException(
          "multiaddr " + this + " already names peer " + existing.get() + ", not " + peer);
    }
    List<Component> all = new ArrayList<>(components);
    all.add(new Component(Protocol.P2P, peer.bytes()));
    return new Multiaddr(all);
  }

  /** The peer id of the final {@code /p2p/} component, if the address ends with one. */
  public Optional<PeerId> peerId() {
    if (components.isEmpty()) {
      return Optional.empty();
    }
    Component last = components.get(components.size() - 1);
    return last.protocol() == Protocol.P2P
        ? Optional.of(PeerId.fromBytes(last.value))
        : Optional.empty();
  }

  /** This address without its final {@code /p2p/} component (itself if it has none). */
  public Multiaddr withoutPeerId() {
    return peerId().isPresent()
        ? new Multiaddr(components.subList(0, components.size() - 1))
        : this;
  }

  /**
   * The text value of the first component of {@code protocol}: empty text for protocols without
   * a value, {@link Optional#empty()} when the protocol does not occur.
   */
  public Optional<String> valueOf(Protocol protocol) {
    for (Component c : components) {
      if (c.protocol() == protocol) {
        return Optional.of(c.valueText());
      }
    }
    return Optional.empty();
  }

  /** Whether a component of {@code protocol} occurs. */
  public boolean has(Protocol protocol) {
    return valueOf(protocol).isPresent();
  }

  /**
   * The socket address of an address starting {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp|udp/<port>};
   * unresolved for DNS names (no lookup happens here).
   *
   * @throws IllegalStateException if the address does not start so
   */
  public InetSocketAddress toSocketAddress() {
    if (components.size() < 2) {
      throw new IllegalStateException("no socket address in " + this);
    }
    Component host = components.get(0);
    Component transport = components.get(1);
    if (transport.protocol() != Protocol.TCP && transport.protocol() != Protocol.UDP) {
      throw new IllegalStateException("no tcp or udp port in " + this);
    }
    int port = Integer.parseInt(transport.valueText());
    return switch (host.protocol()) {
      case IP4, IP6 -> {
        try {
          yield new InetSocketAddress(InetAddress.getByAddress(host.value), port);
        } catch (UnknownHostException e) {
          throw new IllegalStateException("invalid IP address in " + this, e);
        }
      }
      case DNS, DNS4, DNS6 -> InetSocketAddress.createUnresolved(host.valueText(), port);
      default -> throw new IllegalStateException("no IP address or DNS name in " + this);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The text form; empty for an address with no components. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Component c : components) {
      out.append(c);
    }
    return out.toString();
  }

  /** One protocol and its value. Immutable; equal when protocol and value bytes are equal. */
  public static final class Component {
    private final Protocol protocol;
    private final byte[] value;

    private Component(Protocol protocol, byte[] value) {
      this.protocol = protocol;
      this.value = value;
    }

    /**
     * A component from its text value (ignored, and may be empty, for protocols without one).
     *
     * @throws IllegalArgumentException if the value is invalid for the protocol
     */
    public static Component of(Protocol protocol, String value) {
      return new Component(protocol, protocol.hasValue()
          ? protocol.codec().toBytes(value)
          : new byte[0]);
    }

    /**
     * A component from its binary value.
     *
     * @throws IllegalArgumentException if the value is invalid for the protocol
     */
    public static Component ofBytes(Protocol protocol, byte[] value) {
      int size = protocol.sizeBits();
      if (size != Protocol.LENGTH_PREFIXED && value.length * 8 != size) {
        throw new IllegalArgumentException("/" + protocol.protocolName() + " value must be "
            + size / 8 + " bytes, got " + value.length);
      }
      byte[] copy = value.clone();
      protocol.codec().validate(copy);
      return new Component(protocol, copy);
    }

    public Protocol protocol() {
      return protocol;
    }

    /** A copy of the binary value (empty for protocols without one). */
    public byte[] value() {
      return value.clone();
    }

    /** The value in text form (empty for protocols without one). */
    public String valueText() {
      return protocol.codec().toText(value);
    }

    void writeTo(ByteArrayOutputStream out) {
      out.writeBytes(Varint.encode(protocol.code()));
      if (protocol.sizeBits() == Protocol.LENGTH_PREFIXED) {
        out.writeBytes(Varint.encode(value.length));
      }
      out.writeBytes(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Component other
          && protocol == other.protocol
          && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
      return 31 * protocol.hashCode() + Arrays.hashCode(value);
    }

    /** The text form, such as {@code /tcp/4001}. */
    @Override
    public String toString() {
      if (!protocol.hasValue()) {
        return "/" + protocol.protocolName();
      }
      String text = valueText();
      return protocol.codec() == ValueCodec.PATH && text.startsWith("/")
          ? "/" + protocol.protocolName() + text
          : "/" + protocol.protocolName() + "/" + text;
    }
  }
}
