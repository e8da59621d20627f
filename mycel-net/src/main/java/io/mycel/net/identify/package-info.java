/**
 * The identify protocols {@code /ipfs/id/1.0.0} and {@code /ipfs/id/push/1.0.0} (<a
 * href="https://github.com/libp2p/specs/blob/master/identify/README.md">spec</a>): {@link
 * io.mycel.net.identify.IdentifyService} serves and runs them, {@link
 * io.mycel.net.identify.IdentifyMessages} is the wire format, {@link
 * io.mycel.net.identify.IdentifyInfo} a decoded message; the protobuf classes are generated into
 * {@code io.mycel.net.identify.pb} from {@code identify.proto}.
 */
package io.mycel.net.identify;
