// js-libp2p to js-libp2p benchmarks over loopback TCP + Noise + Yamux, both ends in
// this one process (so on one event loop: the figures include the work of both).
// Prints one JSON object on stdout; progress goes to stderr.
//
//   node --import ./polyfill.mjs bench.mjs [--seconds 5] [--mib 256] [--streams 16]
import { parseArgs } from 'node:util'
import { LIBP2P_VERSION, NEW_STREAM_OPTIONS, SINK_PROTOCOL, createNode, drain, sendRepeated } from './lib.mjs'

const MIB = 1024 * 1024
/** Dialers running at once in the concurrent handshake run. */
const CONCURRENT_DIALERS = 4

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    mib: { type: 'string', default: '256' },
    streams: { type: 'string', default: '16' }
  },
  strict: true
})
const seconds = Number(args.seconds)
const mib = Number(args.mib)
const streams = Number(args.streams)
if (!(seconds > 0) || !Number.isInteger(mib) || mib < 1 || !Number.isInteger(streams) || streams < 1) {
  throw new Error(`bad arguments: ${JSON.stringify(args)}`)
}

function log (...parts) {
  console.error(new Date().toISOString(), '[bench]', ...parts)
}

/** Dial and close fresh connections one after another until the deadline; returns the count. */
async function handshakeLoop (dialer, addr, deadline) {
  let count = 0
  while (performance.now() < deadline) {
    const conn = await dialer.dial(addr, { force: true })
    await conn.close()
    count++
  }
  return count
}

async function handshakesPerSecond (listener, dialers) {
  const addr = listener.getMultiaddrs()[0]
  const started = performance.now()
  const deadline = started + seconds * 1000
  const counts = await Promise.all(dialers.map((dialer) => handshakeLoop(dialer, addr, deadline)))
  const total = counts.reduce((a, b) => a + b, 0)
  return total / ((performance.now() - started) / 1000)
}

/** Sends bytesTotal split over n parallel sink streams; returns MiB/s until every sink has closed. */
async function sinkThroughput (dialer, listener, n, bytesTotal) {
  const conn = await dialer.dial(listener.getMultiaddrs()[0])
  const each = Math.floor(bytesTotal / n)
  const started = performance.now()
  await Promise.all(Array.from({ length: n }, async () => {
    const stream = await conn.newStream(SINK_PROTOCOL, NEW_STREAM_OPTIONS)
    const reading = drain(stream)
    await sendRepeated(stream, each)
    await stream.close()
    await reading
  }))
  const secs = (performance.now() - started) / 1000
  return (each * n) / MIB / secs
}

const listener = await createNode({ identifyOnConnect: false })
const dialers = []
for (let i = 0; i < CONCURRENT_DIALERS; i++) {
  dialers.push(await createNode({ listen: [], identifyOnConnect: false }))
}
try {
  log(`handshakes, sequential, ${seconds} s`)
  const sequential = await handshakesPerSecond(listener, dialers.slice(0, 1))
  log(`handshakes, ${CONCURRENT_DIALERS} in flight, ${seconds} s`)
  const concurrent = await handshakesPerSecond(listener, dialers)
  log(`one stream, ${mib} MiB`)
  const one = await sinkThroughput(dialers[0], listener, 1, mib * MIB)
  log(`${streams} streams, ${mib} MiB in all`)
  const many = await sinkThroughput(dialers[1], listener, streams, mib * MIB)
  process.stdout.write(JSON.stringify({
    handshakesPerSec: round(sequential),
    handshakesPerSecConcurrent4: round(concurrent),
    oneStreamMiBps: round(one),
    sixteenStreamsMiBps: round(many),
    libp2pVersion: LIBP2P_VERSION,
    node: process.versions.node,
    seconds,
    mib,
    streams,
    handshake: 'tcp + multistream-select + noise XX + yamux, identify off, both ends in one process'
  }) + '\n')
} finally {
  await Promise.all([listener, ...dialers].map((n) => n.stop()))
}

function round (x) {
  return Math.round(x * 10) / 10
}
