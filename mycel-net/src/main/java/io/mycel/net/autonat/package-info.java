/**
 * AutoNAT v1 (<a href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v1.md">spec</a>):
 * a node asks peers to dial it back and learns from their answers whether it is publicly
 * reachable. {@link io.mycel.net.autonat.AutoNatServer} answers such requests within limits,
 * {@link io.mycel.net.autonat.AutoNatClient} sends them, {@link
 * io.mycel.net.autonat.ReachabilityTracker} turns answers into a status with a confidence, and
 * {@link io.mycel.net.autonat.AutoNatService} ties them to a host. AutoNAT v2 (<a
 * href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v2.md">spec</a>), which
 * checks one address at a time and proves the dial with a nonce, is {@link
 * io.mycel.net.autonat.AutoNatV2Server} and {@link io.mycel.net.autonat.AutoNatV2Client}.
 */
package io.mycel.net.autonat;
