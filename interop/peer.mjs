// A js-libp2p peer driven by JSON lines: commands on stdin, replies and events on
// stdout (one JSON object per line, the loop of jsonl.mjs), logs on stderr. See README.md.
//
//   node --import ./polyfill.mjs peer.mjs [--listen MULTIADDR]... \
//        [--private-key-hex HEX | --seed-hex HEX]
import { setMaxListeners } from 'node:events'
import { parseArgs } from 'node:util'
import { generateKeyPairFromSeed, privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { userAgent } from 'libp2p/user-agent'
import { logger, positiveInt, serve } from './jsonl.mjs'
import { ECHO_PROTOCOL, LIBP2P_VERSION, NEW_STREAM_OPTIONS, createNode, exchange, pattern } from './lib.mjs'

/** Default wait of a command that talks to the network, in milliseconds. */
const DEFAULT_TIMEOUT_MS = 30_000
/** Default wait for identify to complete with a peer, in milliseconds. */
const DEFAULT_IDENTIFY_TIMEOUT_MS = 10_000
/** Largest echo-streams job accepted: streams and bytes per stream. */
const MAX_ECHO_STREAMS = 4096
const MAX_ECHO_BYTES = 256 * 1024 * 1024

const { values: args } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true },
    'private-key-hex': { type: 'string' },
    'seed-hex': { type: 'string' }
  },
  strict: true
})

const log = logger('peer')

async function loadPrivateKey () {
  if (args['private-key-hex'] != null && args['seed-hex'] != null) {
    throw new Error('give --private-key-hex or --seed-hex, not both')
  }
  if (args['private-key-hex'] != null) {
    return privateKeyFromProtobuf(Buffer.from(args['private-key-hex'], 'hex'))
  }
  if (args['seed-hex'] != null) {
    const seed = Buffer.from(args['seed-hex'], 'hex')
    if (seed.byteLength !== 32) {
      throw new Error(`an Ed25519 seed has 32 bytes, got ${seed.byteLength}`)
    }
    return generateKeyPairFromSeed('Ed25519', seed)
  }
  return undefined
}

const node = await createNode({
  listen: args.listen ?? ['/ip4/127.0.0.1/tcp/0'],
  privateKey: await loadPrivateKey()
})

/** The latest identify result of each peer, by peer id string. */
const identified = new Map()
/** Waiters for a peer's first identify result, by peer id string. */
const identifyWaiters = new Map()

node.addEventListener('peer:identify', (evt) => {
  const key = evt.detail.peerId.toString()
  identified.set(key, evt.detail)
  const waiters = identifyWaiters.get(key) ?? []
  identifyWaiters.delete(key)
  waiters.forEach((resolve) => resolve(evt.detail))
})

function identifyResult (key, timeoutMs) {
  if (identified.has(key)) {
    return Promise.resolve(identified.get(key))
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const list = identifyWaiters.get(key) ?? []
      identifyWaiters.set(key, list.filter((w) => w !== done))
      reject(new Error(`identify with ${key} did not complete within ${timeoutMs} ms`))
    }, timeoutMs)
    const done = (result) => {
      clearTimeout(timer)
      resolve(result)
    }
    identifyWaiters.set(key, [...(identifyWaiters.get(key) ?? []), done])
  })
}

function describeConnection (conn) {
  return {
    peerId: conn.remotePeer.toString(),
    remoteAddr: conn.remoteAddr.toString(),
    status: conn.status,
    direction: conn.direction,
    encryption: conn.encryption,
    multiplexer: conn.multiplexer,
    streams: conn.streams.length
  }
}

function target (cmd) {
  if (cmd.addr != null) {
    return multiaddr(cmd.addr)
  }
  if (cmd.peerId != null) {
    return peerIdFromString(cmd.peerId)
  }
  throw new Error('the command needs "addr" or "peerId"')
}

function signal (cmd, defaultMs = DEFAULT_TIMEOUT_MS) {
  const s = AbortSignal.timeout(cmd.timeoutMs ?? defaultMs)
  // one signal guards every stream of an echo-streams job
  setMaxListeners(Infinity, s)
  return s
}

const metadataText = (peer, key) => {
  const value = peer.metadata.get(key)
  return value == null ? undefined : new TextDecoder().decode(value)
}

const commands = {
  async info () {
    return {
      peerId: node.peerId.toString(),
      addrs: node.getMultiaddrs().map(String),
      protocols: node.getProtocols()
    }
  },

  async dial (cmd) {
    const conn = await node.dial(target(cmd), { signal: signal(cmd), force: cmd.force === true })
    return describeConnection(conn)
  },

  async hangup (cmd) {
    await node.hangUp(target(cmd), { signal: signal(cmd) })
    return {}
  },

  async ping (cmd) {
    const rttMs = await node.services.ping.ping(target(cmd), { signal: signal(cmd) })
    return { rttMs }
  },

  async identify (cmd) {
    const peerId = peerIdFromString(cmd.peerId)
    const key = peerId.toString()
    let result
    if (cmd.fresh === true) {
      const conn = node.getConnections(peerId)[0]
      if (conn == null) {
        throw new Error(`not connected to ${key}`)
      }
      result = await node.services.identify.identify(conn, { signal: signal(cmd, DEFAULT_IDENTIFY_TIMEOUT_MS) })
    } else {
      result = await identifyResult(key, cmd.timeoutMs ?? DEFAULT_IDENTIFY_TIMEOUT_MS)
    }
    const peer = await node.peerStore.get(peerId)
    return {
      peerId: key,
      agentVersion: metadataText(peer, 'AgentVersion'),
      protocolVersion: metadataText(peer, 'ProtocolVersion'),
      protocols: [...peer.protocols],
      listenAddrs: peer.addresses.map((a) => a.multiaddr.toString()),
      ...(result.observedAddr != null ? { observedAddr: result.observedAddr.toString() } : {})
    }
  },

  async 'echo-streams' (cmd) {
    const streams = positiveInt(cmd.streams ?? 1, 'streams', MAX_ECHO_STREAMS)
    const bytes = positiveInt(cmd.bytes ?? 1024, 'bytes', MAX_ECHO_BYTES)
    const protocol = cmd.protocol ?? ECHO_PROTOCOL
    const payloads = Array.from({ length: streams }, (_, i) => pattern(i, bytes))
    const timeout = signal(cmd)
    const started = performance.now()
    const conn = await node.dial(target(cmd), { signal: timeout })
    const results = await Promise.allSettled(payloads.map(async (payload, i) => {
      const stream = await conn.newStream(protocol, { ...NEW_STREAM_OPTIONS, signal: timeout })
      const onTimeout = () => stream.abort(new Error(`timed out after ${cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`))
      timeout.addEventListener('abort', onTimeout, { once: true })
      try {
        timeout.throwIfAborted()
        await exchange(stream, payload)
      } catch (err) {
        throw new Error(`stream ${i}: ${err.message}`, { cause: err })
      } finally {
        timeout.removeEventListener('abort', onTimeout)
      }
    }))
    const ms = performance.now() - started
    const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason.message)
    if (failures.length > 0) {
      throw new Error(`${failures.length} of ${streams} streams failed; first: ${failures[0]}`)
    }
    return { streams, bytesEachWay: bytes * streams, bytesPerStream: bytes, ms }
  },

  async connections () {
    return { connections: node.getConnections().map(describeConnection) }
  }
}

serve({
  commands,
  stop: () => node.stop(),
  log,
  ready: {
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map(String),
    agentVersion: userAgent(),
    libp2pVersion: LIBP2P_VERSION
  }
})
