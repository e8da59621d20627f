// A js-libp2p node with the Kademlia DHT (`@libp2p/kad-dht`) in server mode on
// /ipfs/kad/1.0.0, driven by JSON lines like peer.mjs (the loop of jsonl.mjs): commands on
// stdin, replies and events on stdout, logs on stderr. Loopback and private addresses are
// kept in the routing table (passthroughMapper), so a whole test network can live on
// 127.0.0.1. Records of the `ipns` namespace are checked and chosen with the `ipns`
// package's validator and selector.
//
//   node --import ./polyfill.mjs kad-peer.mjs [--listen MULTIADDR]... [--seed-hex HEX]
//
// Commands (binary values are base64; CIDs and peer ids are strings; each network command
// takes an optional `timeoutMs`, default 30000):
//   info                          -> peerId, addrs, protocols
//   dial {addr}                   -> peerId, remoteAddr
//   provide {cid}                 -> {}
//   findProviders {cid, [count]}  -> providers: [{peerId, addrs}] (stops after `count`)
//   findPeer {peerId}             -> peerId, addrs
//   findClosestPeers {keyBase64}  -> peers: [peerId]
//   putValue {keyBase64, valueBase64}       -> {}
//   getValue {keyBase64}          -> valueBase64, and for an /ipns/ key `ipns`:
//                                    {valid: true, value, sequence} (the validator ran)
//   createIpnsRecord {value, sequence, [lifetimeMs]}
//                                 -> keyBase64 (routing key of this node's own name),
//                                    valueBase64 (the signed record), name (peer id)
//   routingTableSize              -> size
//   stop
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createIPNSRecord, marshalIPNSRecord, multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import { ipnsSelector } from 'ipns/selector'
import { ipnsValidator } from 'ipns/validator'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import { logger, positiveInt, serve } from './jsonl.mjs'
import { LIBP2P_VERSION } from './lib.mjs'

/** The DHT protocol of the public IPFS network. */
const KAD_PROTOCOL = '/ipfs/kad/1.0.0'
/** Default wait of a command that talks to the network, in milliseconds. */
const DEFAULT_TIMEOUT_MS = 30_000
/** Default lifetime of a record made by createIpnsRecord: one day. */
const DEFAULT_IPNS_LIFETIME_MS = 24 * 60 * 60 * 1000
/** Most providers a findProviders command collects. */
const MAX_PROVIDERS = 1000

const { values: args } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true },
    'seed-hex': { type: 'string' }
  },
  strict: true
})

const log = logger('kad-peer')

async function loadPrivateKey () {
  if (args['seed-hex'] == null) {
    return generateKeyPair('Ed25519')
  }
  const seed = Buffer.from(args['seed-hex'], 'hex')
  if (seed.byteLength !== 32) {
    throw new Error(`an Ed25519 seed has 32 bytes, got ${seed.byteLength}`)
  }
  return generateKeyPairFromSeed('Ed25519', seed)
}

const privateKey = await loadPrivateKey()

const node = await createLibp2p({
  privateKey,
  addresses: { listen: args.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({
      protocol: KAD_PROTOCOL,
      clientMode: false,
      peerInfoMapper: passthroughMapper,
      validators: { ipns: ipnsValidator },
      selectors: { ipns: ipnsSelector }
    })
  }
})

const dht = node.services.dht

function signal (cmd) {
  return AbortSignal.timeout(cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS)
}

function bytesField (cmd, name) {
  if (typeof cmd[name] !== 'string') {
    throw new Error(`"${name}" must be a base64 string`)
  }
  return new Uint8Array(Buffer.from(cmd[name], 'base64'))
}

const base64 = (bytes) => Buffer.from(bytes).toString('base64')

const IPNS_PREFIX = new TextEncoder().encode('/ipns/')

function isIpnsKey (key) {
  return key.byteLength > IPNS_PREFIX.byteLength && IPNS_PREFIX.every((b, i) => key[i] === b)
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
    const conn = await node.dial(multiaddr(cmd.addr), { signal: signal(cmd) })
    return { peerId: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString() }
  },

  async provide (cmd) {
    await node.contentRouting.provide(CID.parse(cmd.cid), { signal: signal(cmd) })
    return {}
  },

  async findProviders (cmd) {
    const count = positiveInt(cmd.count ?? MAX_PROVIDERS, 'count', MAX_PROVIDERS)
    const found = new Map()
    for await (const info of node.contentRouting.findProviders(CID.parse(cmd.cid), { signal: signal(cmd) })) {
      const key = info.id.toString()
      const addrs = new Set([...(found.get(key) ?? []), ...info.multiaddrs.map(String)])
      found.set(key, [...addrs])
      if (found.size >= count) {
        break
      }
    }
    return { providers: [...found].map(([peerId, addrs]) => ({ peerId, addrs })) }
  },

  async findPeer (cmd) {
    const info = await node.peerRouting.findPeer(peerIdFromString(cmd.peerId), { signal: signal(cmd) })
    return { peerId: info.id.toString(), addrs: info.multiaddrs.map(String) }
  },

  async findClosestPeers (cmd) {
    const peers = []
    for await (const info of node.peerRouting.getClosestPeers(bytesField(cmd, 'keyBase64'), { signal: signal(cmd) })) {
      peers.push(info.id.toString())
    }
    return { peers }
  },

  async putValue (cmd) {
    await node.contentRouting.put(bytesField(cmd, 'keyBase64'), bytesField(cmd, 'valueBase64'), { signal: signal(cmd) })
    return {}
  },

  async getValue (cmd) {
    const key = bytesField(cmd, 'keyBase64')
    const value = await node.contentRouting.get(key, { signal: signal(cmd) })
    const reply = { valueBase64: base64(value) }
    if (isIpnsKey(key)) {
      // throws when the record does not match the name, is badly signed or has expired
      await ipnsValidator(key, value)
      const record = unmarshalIPNSRecord(value)
      reply.ipns = { valid: true, value: record.value, sequence: record.sequence.toString() }
    }
    return reply
  },

  async createIpnsRecord (cmd) {
    if (typeof cmd.value !== 'string') {
      throw new Error('"value" must be a string such as /ipfs/<cid>')
    }
    const lifetime = positiveInt(cmd.lifetimeMs ?? DEFAULT_IPNS_LIFETIME_MS, 'lifetimeMs', Number.MAX_SAFE_INTEGER)
    const record = await createIPNSRecord(privateKey, cmd.value, BigInt(cmd.sequence ?? 0), lifetime)
    return {
      name: node.peerId.toString(),
      keyBase64: base64(multihashToIPNSRoutingKey(privateKey.publicKey.toMultihash())),
      valueBase64: base64(marshalIPNSRecord(record))
    }
  },

  async routingTableSize () {
    return { size: dht.routingTable.size }
  }
}

serve({
  commands,
  stop: () => node.stop(),
  log,
  ready: {
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map(String),
    libp2pVersion: LIBP2P_VERSION,
    protocol: KAD_PROTOCOL
  }
})
