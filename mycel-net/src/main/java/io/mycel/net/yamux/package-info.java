/**
 * Yamux stream multiplexing ({@code /yamux/1.0.0}): the frame codec ({@link
 * io.mycel.net.yamux.YamuxFrame}, {@link io.mycel.net.yamux.YamuxFrameDecoder}, {@link
 * io.mycel.net.yamux.YamuxFrameEncoder}), the session handler that sits on top of a secured
 * channel ({@link io.mycel.net.yamux.YamuxSession}) and its blocking streams ({@link
 * io.mycel.net.yamux.YamuxStream}).
 *
 * @see <a href="https://github.com/hashicorp/yamux/blob/master/spec.md">Yamux spec</a>
 * @see <a href="https://github.com/libp2p/specs/blob/master/yamux/README.md">libp2p Yamux</a>
 */
package io.mycel.net.yamux;
