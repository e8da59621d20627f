// A js-libp2p node that finds peers on the local network with `@libp2p/mdns` (and answers
// their queries), driven by JSON lines like the other peers (the loop of jsonl.mjs). It runs
// the Kademlia DHT in server mode too, with loopback addresses kept, so that a peer that
// found it can put it in its routing table.
//
//   node --import ./polyfill.mjs mdns-peer.mjs [--listen MULTIADDR]... --mdns-port PORT
//        [--mdns-interval-ms MS]
//
// The port is the UDP port of the 224.0.0.251 group: another one than 5353 keeps a test
// apart from the real local network.
//
// Commands:
//   info          -> peerId, addrs
//   discovered    -> peers: [{peerId, addrs}] every peer the mDNS service decoded from a
//                    response so far (not peers learnt otherwise, as libp2p's peer:discovery)
//   connections   -> peers: [peerId] peers with an open connection
//   stop
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { logger, positiveInt, serve } from './jsonl.mjs'
import { LIBP2P_VERSION } from './lib.mjs'

const { values: args } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true },
    'mdns-port': { type: 'string' },
    'mdns-interval-ms': { type: 'string' }
  },
  strict: true
})

const log = logger('mdns-peer')
const port = positiveInt(Number(args['mdns-port']), '--mdns-port', 65535)
const interval = positiveInt(Number(args['mdns-interval-ms'] ?? 1000), '--mdns-interval-ms', 3_600_000)

const discovered = new Map()

/** Records every peer the mDNS service decodes from a response, as the service reports it. */
function recordingMdns (init) {
  const factory = mdns(init)
  return (components) => {
    const service = factory(components)
    service.addEventListener('peer', (event) => {
      const id = event.detail.id.toString()
      const addrs = new Set([...(discovered.get(id) ?? []), ...event.detail.multiaddrs.map(String)])
      discovered.set(id, [...addrs])
      log('mDNS found', id, [...addrs].join(' '))
    })
    return service
  }
}

const node = await createLibp2p({
  addresses: { listen: args.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: [recordingMdns({ port, interval })],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({ protocol: '/ipfs/kad/1.0.0', clientMode: false, peerInfoMapper: passthroughMapper })
  }
})


const commands = {
  async info () {
    return { peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) }
  },

  async discovered () {
    return { peers: [...discovered].map(([peerId, addrs]) => ({ peerId, addrs })) }
  },

  async connections () {
    return { peers: [...new Set(node.getConnections().map(c => c.remotePeer.toString()))] }
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
    mdnsPort: port
  }
})
