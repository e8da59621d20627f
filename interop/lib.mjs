// Shared pieces of the interop peer (peer.mjs) and the js-to-js benchmark
// (bench.mjs): node construction, the test protocols and stream helpers.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { name as libp2pName, version as libp2pVersion } from 'libp2p/version'

export const ECHO_PROTOCOL = '/mycel/test/echo/1.0.0'
export const SINK_PROTOCOL = '/mycel/test/sink/1.0.0'
export const SOURCE_PROTOCOL = '/mycel/test/source/1.0.0'

export const LIBP2P_VERSION = `${libp2pName}/${libp2pVersion}`

/** Streams allowed per protocol and per connection, both directions. */
export const MAX_STREAMS = 4096
/** Chunk size for writes: one yamux frame at most (the yamux default message size). */
export const WRITE_CHUNK = 64 * 1024
/** Largest yamux receive window per stream (the yamux default). */
export const MAX_STREAM_WINDOW = 16 * 1024 * 1024
/**
 * Bytes a paused stream may hold before it is reset. A paused yamux stream stops
 * granting window, so the sender can still have a whole window in flight: keep
 * room for two.
 */
export const MAX_READ_BUFFER = 2 * MAX_STREAM_WINDOW
/** Length of the request of the source protocol: a big-endian unsigned 64-bit count. */
export const SOURCE_REQUEST_BYTES = 8

const streamLimits = { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS }

/**
 * Creates (and starts) a TCP + Noise + Yamux node with identify and ping, serving
 * the echo, sink and source test protocols, with limits raised for tests and
 * benchmarks that open many streams and many connections from one host.
 * With identifyOnConnect false, identify runs only when asked (handshake benchmarks).
 */
export async function createNode ({ listen = ['/ip4/127.0.0.1/tcp/0'], privateKey, identifyOnConnect = true } = {}) {
  const node = await createLibp2p({
    ...(privateKey != null ? { privateKey } : {}),
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({
      ...streamLimits,
      streamOptions: {
        maxStreamWindowSize: MAX_STREAM_WINDOW,
        maxReadBufferLength: MAX_READ_BUFFER
      }
    })],
    connectionManager: {
      maxConnections: 100_000,
      maxIncomingPendingConnections: 1_000,
      inboundConnectionThreshold: 1_000_000,
      maxParallelDials: 1_000,
      maxDialQueueLength: 10_000
    },
    services: {
      identify: identify({
        maxInboundStreams: MAX_STREAMS,
        maxOutboundStreams: MAX_STREAMS,
        runOnConnectionOpen: identifyOnConnect
      }),
      ping: ping({ maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS })
    }
  })
  await node.handle(ECHO_PROTOCOL, handleEcho, streamLimits)
  await node.handle(SINK_PROTOCOL, handleSink, streamLimits)
  await node.handle(SOURCE_PROTOCOL, handleSource, streamLimits)
  return node
}

/** Options for opening a stream of one of the test protocols from this node. */
export const NEW_STREAM_OPTIONS = Object.freeze({ ...streamLimits })

/** Echo: every byte read is written back; the write side closes after the remote's. */
export function handleEcho (stream) {
  stream.addEventListener('message', (evt) => {
    if (stream.writeStatus !== 'writable') {
      return
    }
    if (!stream.send(evt.data) && stream.readStatus === 'readable') {
      // stop granting window to the remote until what we echo has gone out
      stream.pause()
      stream.onDrain().then(() => {
        if (stream.readStatus === 'paused') {
          stream.resume()
        }
      }, () => {})
    }
  })
  onReadEnd(stream, () => closeWrite(stream))
}

/** Sink: reads and discards; closes its write side once the remote has closed its own. */
export function handleSink (stream) {
  stream.addEventListener('message', () => {})
  onReadEnd(stream, () => closeWrite(stream))
}

/**
 * Source: reads an 8-byte big-endian count N, sends N bytes, closes its write side.
 * Anything the remote sends after the count is discarded.
 */
export function handleSource (stream) {
  const header = new Uint8Array(SOURCE_REQUEST_BYTES)
  let have = 0
  let started = false
  stream.addEventListener('message', (evt) => {
    if (started) {
      return
    }
    const bytes = contiguous(evt.data)
    const take = Math.min(bytes.byteLength, SOURCE_REQUEST_BYTES - have)
    header.set(bytes.subarray(0, take), have)
    have += take
    if (have === SOURCE_REQUEST_BYTES) {
      started = true
      const count = new DataView(header.buffer).getBigUint64(0, false)
      if (count > BigInt(Number.MAX_SAFE_INTEGER)) {
        stream.abort(new Error(`source count too large: ${count}`))
        return
      }
      sendRepeated(stream, Number(count))
        .then(() => closeWrite(stream))
        .catch((err) => stream.abort(err))
    }
  })
  onReadEnd(stream, () => {
    if (!started) {
      stream.abort(new Error(`source request truncated after ${have} bytes`))
    }
  })
}

function onReadEnd (stream, callback) {
  if (stream.readableEnded) {
    callback()
  } else {
    stream.addEventListener('end', callback, { once: true })
  }
}

function closeWrite (stream) {
  if (stream.writeStatus === 'writable') {
    stream.close().catch((err) => stream.abort(err))
  }
}

/** The bytes of a message, as one Uint8Array (messages may be Uint8ArrayLists). */
export function contiguous (data) {
  return data instanceof Uint8Array ? data : data.subarray()
}

/** Writes data in chunks, waiting for drain whenever the stream asks for it. */
export async function sendAll (stream, data) {
  for (let off = 0; off < data.byteLength; off += WRITE_CHUNK) {
    if (!stream.send(data.subarray(off, Math.min(off + WRITE_CHUNK, data.byteLength)))) {
      await stream.onDrain()
    }
  }
}

const FILLER = new Uint8Array(WRITE_CHUNK).fill(0x6d)

/** Writes count filler bytes (the same read-only chunk over and over). */
export async function sendRepeated (stream, count) {
  let left = count
  while (left > 0) {
    const n = Math.min(left, FILLER.byteLength)
    left -= n
    if (!stream.send(n === FILLER.byteLength ? FILLER : FILLER.subarray(0, n))) {
      await stream.onDrain()
    }
  }
}

/** Reads until the remote closes its write side; returns the number of bytes read. */
export async function drain (stream) {
  let total = 0
  for await (const chunk of stream) {
    total += chunk.byteLength
  }
  return total
}

/**
 * The test pattern of stream number `index`: `length` bytes from xorshift32
 * seeded with (index + 1) * 0x9E3779B1 (mod 2^32; never zero), each 32-bit state
 * written little-endian after it is advanced (shift 13 left, 17 right, 5 left).
 */
export function pattern (index, length) {
  const words = new Uint32Array(Math.ceil(length / 4))
  let x = Math.imul(index + 1, 0x9E3779B1) >>> 0
  if (x === 0) {
    x = 1
  }
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    words[i] = x
  }
  const bytes = new Uint8Array(words.buffer, 0, length)
  if (!littleEndianHost) {
    // Uint32Array uses host order; the pattern is defined little-endian
    const view = new DataView(words.buffer)
    for (let i = 0; i < words.length; i++) {
      view.setUint32(i * 4, words[i], true)
    }
  }
  return bytes
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/**
 * Sends `expected` on the stream while reading the same number of bytes back,
 * at the same time (waiting for all writes before reading would let the windows
 * of both ends fill up and stop). Fails on the first differing byte, on early
 * EOF, or on extra bytes.
 */
export async function exchange (stream, expected) {
  const reading = (async () => {
    let offset = 0
    for await (const chunk of stream) {
      const bytes = contiguous(chunk)
      if (offset + bytes.byteLength > expected.byteLength) {
        throw new Error(`received ${offset + bytes.byteLength} bytes, more than the ${expected.byteLength} sent`)
      }
      const want = expected.subarray(offset, offset + bytes.byteLength)
      if (!Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(want)) {
        let at = 0
        while (bytes[at] === want[at]) {
          at++
        }
        throw new Error(`byte ${offset + at} differs: sent ${want[at]}, received ${bytes[at]}`)
      }
      offset += bytes.byteLength
    }
    if (offset !== expected.byteLength) {
      throw new Error(`stream ended after ${offset} of ${expected.byteLength} bytes`)
    }
  })()
  const writing = (async () => {
    await sendAll(stream, expected)
    await stream.close()
  })()
  try {
    await Promise.all([reading, writing])
  } catch (err) {
    stream.abort(err)
    throw err
  }
}
