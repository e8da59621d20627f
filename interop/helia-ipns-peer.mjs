// A Helia node (helia 7 light, @helia/ipns 10) whose IPNS names are published to and resolved
// from the Kademlia DHT (`@libp2p/kad-dht` in server mode, loopback addresses kept, the `ipns`
// validator and selector), driven by JSON lines like the other peers (the loop of jsonl.mjs).
//
//   node --import ./polyfill.mjs helia-ipns-peer.mjs [--listen MULTIADDR]...
//
// Commands (each network command takes an optional `timeoutMs`, default 30000):
//   info                          -> peerId, addrs
//   dial {addr}                   -> peerId
//   routingTableSize              -> size
//   publish {value, [lifetimeMs]} -> name (k51... form), sequence, value: signs a record of
//                                    the key "site" (made on first use) with @helia/ipns and
//                                    stores it in the DHT
//   resolve {name}                -> value, sequence: resolves through the DHT only (no cache)
//   stop
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { ipns } from '@helia/ipns'
import { withLibp2pLight } from '@helia/libp2p'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createHeliaLight } from 'helia'
import { ipnsSelector } from 'ipns/selector'
import { ipnsValidator } from 'ipns/validator'
import { logger, positiveInt, serve } from './jsonl.mjs'
import { LIBP2P_VERSION } from './lib.mjs'

const DEFAULT_TIMEOUT_MS = 30_000
const KEY_NAME = 'site'

const { values: args } = parseArgs({
  options: { listen: { type: 'string', multiple: true } },
  strict: true
})

const log = logger('helia-ipns-peer')

const helia = withLibp2pLight(createHeliaLight(), {
  addresses: { listen: args.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      protocol: '/ipfs/kad/1.0.0',
      clientMode: false,
      peerInfoMapper: passthroughMapper,
      validators: { ipns: ipnsValidator },
      selectors: { ipns: ipnsSelector }
    })
  }
})
await helia.start()
const names = ipns(helia)

/** A record's Value field as text: the pb field holds bytes. */
function text (value) {
  return typeof value === 'string' ? value : new TextDecoder().decode(value)
}

function signal (cmd) {
  return AbortSignal.timeout(cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS)
}

const commands = {
  async info () {
    return { peerId: helia.libp2p.peerId.toString(), addrs: helia.libp2p.getMultiaddrs().map(String) }
  },

  async dial (cmd) {
    const conn = await helia.libp2p.dial(multiaddr(cmd.addr), { signal: signal(cmd) })
    return { peerId: conn.remotePeer.toString() }
  },

  async routingTableSize () {
    return { size: helia.libp2p.services.dht.routingTable.size }
  },

  async publish (cmd) {
    if (typeof cmd.value !== 'string') {
      throw new Error('"value" must be a string such as /ipfs/<cid>')
    }
    const lifetime = positiveInt(cmd.lifetimeMs ?? 24 * 60 * 60 * 1000, 'lifetimeMs', Number.MAX_SAFE_INTEGER)
    const result = await names.publish(KEY_NAME, cmd.value, { lifetime, signal: signal(cmd) })
    return { name: result.name, sequence: result.record.sequence.toString(), value: text(result.record.value) }
  },

  async resolve (cmd) {
    if (typeof cmd.name !== 'string') {
      throw new Error('"name" must be an IPNS name string')
    }
    let last
    for await (const result of names.resolve(cmd.name, { nocache: true, signal: signal(cmd) })) {
      last = result
    }
    if (last == null) {
      throw new Error(`nothing resolved for ${cmd.name}`)
    }
    return { value: text(last.record.value), sequence: last.record.sequence.toString() }
  }
}

serve({
  commands,
  stop: () => helia.stop(),
  log,
  ready: {
    peerId: helia.libp2p.peerId.toString(),
    addrs: helia.libp2p.getMultiaddrs().map(String),
    libp2pVersion: LIBP2P_VERSION
  }
})
