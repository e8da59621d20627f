package io.mycel.node.site;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The addresses a published site opens at.
 *
 * @param gateway through the local gateway's path form, {@code http://127.0.0.1:8180/ipns/<name>/};
 *     empty when no gateway is configured
 * @param subdomain through the local subdomain gateway, {@code http://<name>.ipns.localhost:8180/},
 *     where the site's absolute links, {@code _redirects} and {@code 404.html} work; empty when
 *     there is no gateway or no subdomain host
 * @param path the path that works on any IPFS gateway, {@code /ipns/<name>}
 * @see <a href="https://specs.ipfs.tech/http-gateways/subdomain-gateway/">Subdomain Gateway</a>
 */
public record SiteUrls(String gateway, String subdomain, String path) {
  public SiteUrls {
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(subdomain, "subdomain");
    Objects.requireNonNull(path, "path");
  }

  /**
   * The URLs of {@code site} on a gateway listening at {@code gatewayAddress} (null: none) with
   * the subdomain host {@code subdomainHost} ({@code ""}: no subdomain gateway).
   */
  public static SiteUrls of(Site site, InetSocketAddress gatewayAddress, String subdomainHost) {
    String path = site.ipnsPath();
    if (gatewayAddress == null) {
      return new SiteUrls("", "", path);
    }
    int port = gatewayAddress.getPort();
    String gateway = io.mycel.node.HttpUrls.base(gatewayAddress) + path + "/";
    String subdomain = subdomainHost.isEmpty() ? ""
        : "http://" + site.ipnsName() + ".ipns." + subdomainHost + ":" + port + "/";
    return new SiteUrls(gateway, subdomain, path);
  }
}
