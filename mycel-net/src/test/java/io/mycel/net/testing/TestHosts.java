package io.mycel.net.testing;

import io.mycel.core.crypto.Ed25519;
import io.mycel.net.host.HostConfig;
import io.mycel.net.host.NettyHost;
import io.mycel.net.identify.IdentifyService;
import io.mycel.net.ping.PingService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real hosts on 127.0.0.1 with free ports, with identify, ping and the test echo
 * protocol, and stops every one of them after each test. Use with {@code @RegisterExtension}.
 */
public final class TestHosts implements AfterEachCallback {
  public static final String ECHO = "/mycel/test/echo/1.0.0";
  public static final String AGENT = "mycel-test/0";

  private final List<NettyHost> hosts = new ArrayList<>();

  /** A host with default limits. */
  public NettyHost start() {
    return start(c -> c);
  }

  /** A host whose loopback config is adjusted by {@code tweak}. */
  public synchronized NettyHost start(UnaryOperator<HostConfig> tweak) {
    NettyHost host = new NettyHost(Ed25519.generate(), tweak.apply(HostConfig.loopback(AGENT)));
    new IdentifyService(host).start();
    new PingService(host).start();
    host.protocols().register(ECHO, Echo::serve);
    hosts.add(host.start());
    return host;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    hosts.forEach(NettyHost::close);
    hosts.clear();
  }
}
