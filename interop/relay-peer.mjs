// A js-libp2p peer for the Circuit Relay v2 interop tests (@libp2p/circuit-relay-v2):
//
//   node --import ./polyfill.mjs relay-peer.mjs --mode relay
//       a relay (hop side) with the library's default limits
//   node --import ./polyfill.mjs relay-peer.mjs --mode reserve --relay /ip4/…/tcp/…/p2p/RELAY
//       a peer that reserves on that relay and serves the echo test protocol through it
//
// When ready it prints one JSON line, {"peerId", "addrs"} (for reserve mode, addrs holds the
// /p2p-circuit address); it exits when its stdin closes. Logs go to stderr.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { parseArgs } from 'node:util'
import { ECHO_PROTOCOL, handleEcho } from './lib.mjs'

const { values: args } = parseArgs({
  options: { mode: { type: 'string' }, relay: { type: 'string' } },
  strict: true
})
if (args.mode !== 'relay' && args.mode !== 'reserve') {
  throw new Error('give --mode relay or --mode reserve --relay ADDR')
}
if (args.mode === 'reserve' && args.relay == null) {
  throw new Error('--mode reserve needs --relay ADDR')
}

const node = await createLibp2p({
  addresses: {
    listen: args.mode === 'relay'
      ? ['/ip4/127.0.0.1/tcp/0']
      : ['/ip4/127.0.0.1/tcp/0', `${args.relay}/p2p-circuit`]
  },
  transports: [tcp(), circuitRelayTransport()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping({ runOnLimitedConnection: true }),
    ...(args.mode === 'relay' ? { relay: circuitRelayServer() } : {})
  }
})
await node.handle(ECHO_PROTOCOL, handleEcho, { runOnLimitedConnection: true })

const circuit = () => node.getMultiaddrs().map(String).filter((a) => a.includes('/p2p-circuit'))
if (args.mode === 'reserve') {
  const deadline = Date.now() + 30_000
  while (circuit().length === 0) {
    if (Date.now() > deadline) {
      throw new Error(`no reservation on ${args.relay} within 30 s`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
const addrs = args.mode === 'relay' ? node.getMultiaddrs().map(String) : circuit()
process.stdout.write(JSON.stringify({ peerId: node.peerId.toString(), addrs }) + '\n')

process.stdin.resume()
process.stdin.on('end', async () => {
  await node.stop()
  process.exit(0)
})
