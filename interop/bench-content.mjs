// Helia content benchmarks: the named peer of bench/run-content. Prints one JSON object on
// stdout; progress goes to stderr.
//
//   node --import ./polyfill.mjs bench-content.mjs --add FILE
//   node --import ./polyfill.mjs bench-content.mjs --fetch MIB [--processes 1|2]
//
// --add FILE: a Helia node with its default in-memory blockstore adds FILE, read as a stream,
//   with @helia/unixfs addByteStream and its defaults (1 MiB chunks, raw leaves, CIDv1, balanced
//   layout of 1024 links). Prints {"heliaAddMBps", "cid", "bytes", "seconds", ...}; MB is 10^6
//   bytes, the unit of the add figures it is compared with.
// --fetch MIB: node A adds MIB MiB of the test pattern of lib.mjs (seeded xorshift32: piece i is
//   pattern number i, 1 MiB pieces) with the same defaults; node B (in-memory blockstore) dials A
//   and reads the whole file with `cat`, every block coming over Bitswap. Before the timed fetch
//   a throw-away node C fetches the same file once, so both ends have run the path (as the Java
//   side warms up). After the timed fetch B reads the file again from its own blockstore and
//   checks its SHA-256 against A's (not timed). Prints {"heliaFetchMiBps", ...}.
//   --processes 2 (default): A runs as its own process (helia-peer.mjs), B in this one, so
//   each end has an event loop of its own. --processes 1: A and B share this process.
// Every node: TCP + Noise + Yamux (16 MiB stream windows) + Bitswap, identify and ping, as in
// helia-peer.mjs.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { createReadStream, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { withBitswap } from '@helia/bitswap'
import { withLibp2pLight } from '@helia/libp2p'
import { unixfs } from '@helia/unixfs'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createHeliaLight } from 'helia'
import { CID } from 'multiformats/cid'
import { LIBP2P_VERSION, MAX_STREAM_WINDOW, pattern } from './lib.mjs'

const MIB = 1024 * 1024
/** Bytes of test pattern generated at a time while adding. */
const PIECE = MIB
/** Longest wait for one fetch, in milliseconds. */
const FETCH_TIMEOUT_MS = 10 * 60_000

const { values: args } = parseArgs({
  options: {
    add: { type: 'string' },
    fetch: { type: 'string' },
    processes: { type: 'string', default: '2' }
  },
  strict: true
})
if ((args.add == null) === (args.fetch == null)) {
  throw new Error('give exactly one of --add FILE and --fetch MIB')
}

function log (...parts) {
  console.error(new Date().toISOString(), '[bench-content]', ...parts)
}

function round (x) {
  return Math.round(x * 10) / 10
}

/** A Helia light node with an in-memory blockstore, Bitswap over TCP + Noise + Yamux. */
async function createNode (listen = ['/ip4/127.0.0.1/tcp/0']) {
  const helia = withBitswap(withLibp2pLight(createHeliaLight(), {
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: MAX_STREAM_WINDOW } })],
    services: { identify: identify(), ping: ping() }
  }))
  await helia.start()
  return helia
}

/** `length` bytes of the test pattern, 1 MiB pieces, hashed on the way. */
async function * testFile (length, hash) {
  for (let offset = 0, i = 0; offset < length; offset += PIECE, i++) {
    const piece = pattern(i, Math.min(PIECE, length - offset))
    hash.update(piece)
    yield piece
  }
}

/** Reads a whole file through UnixFS; returns its length, and its SHA-256 when hash is given. */
async function cat (fs, cid, hash) {
  let length = 0
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS)
  // every block fetch listens on the signal
  setMaxListeners(Infinity, signal)
  for await (const chunk of fs.cat(cid, { signal })) {
    hash?.update(chunk)
    length += chunk.byteLength
  }
  return length
}

async function add (file) {
  const bytes = statSync(file).size
  const helia = createHeliaLight()
  await helia.start()
  try {
    const fs = unixfs(helia)
    const started = performance.now()
    const cid = await fs.addByteStream(createReadStream(file, { highWaterMark: PIECE }))
    const seconds = (performance.now() - started) / 1000
    return {
      heliaAddMBps: round(bytes / 1e6 / seconds),
      cid: cid.toString(),
      bytes,
      seconds,
      heliaVersion: helia.info.version,
      node: process.versions.node,
      blockstore: 'memory',
      importer: '@helia/unixfs addByteStream defaults: 1 MiB chunks, raw leaves, CIDv1, balanced 1024'
    }
  } finally {
    await helia.stop()
  }
}

/** The provider in this process: a node that adds the file; returns it with its address. */
async function localProvider (length) {
  const helia = await createNode()
  const hash = createHash('sha256')
  const cid = await unixfs(helia).addByteStream(testFile(length, hash))
  return {
    addr: helia.libp2p.getMultiaddrs()[0],
    cid,
    sha256: hash.digest('hex'),
    stop: () => helia.stop()
  }
}

/** The provider as a helia-peer.mjs process (same pattern: add-file with seed 0). */
async function processProvider (mib) {
  const child = spawn(process.execPath, ['--import', './polyfill.mjs', 'helia-peer.mjs'], {
    cwd: new URL('.', import.meta.url),
    stdio: ['pipe', 'pipe', 'inherit']
  })
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]()
  const next = async () => {
    const { value, done } = await lines.next()
    if (done) {
      throw new Error('helia-peer.mjs exited')
    }
    return JSON.parse(value)
  }
  const ready = await next()
  child.stdin.write(JSON.stringify({ id: 1, cmd: 'add-file', mib, seed: 0 }) + '\n')
  const added = await next()
  if (!added.ok) {
    throw new Error(`add-file failed: ${added.error}`)
  }
  return {
    addr: multiaddr(ready.addrs[0]),
    cid: CID.parse(added.cid),
    sha256: added.sha256,
    stop: async () => {
      child.stdin.end()
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }
}

/** A fresh node dials the provider and reads the whole file; returns seconds and the node. */
async function fetchOnce (provider, length) {
  const helia = await createNode([])
  const fs = unixfs(helia)
  await helia.libp2p.dial(provider.addr)
  const started = performance.now()
  const got = await cat(fs, provider.cid)
  const seconds = (performance.now() - started) / 1000
  if (got !== length) {
    throw new Error(`fetched ${got} of ${length} bytes`)
  }
  return { helia, fs, seconds }
}

async function fetch (mib, processes) {
  const length = mib * MIB
  log(`provider adds ${mib} MiB (${processes === 2 ? 'own process' : 'this process'})`)
  const provider = processes === 2 ? await processProvider(mib) : await localProvider(length)
  try {
    log('warm-up fetch')
    const warm = await fetchOnce(provider, length)
    await warm.helia.stop()
    log(`fetch ${mib} MiB`)
    const run = await fetchOnce(provider, length)
    const heliaVersion = run.helia.info.version
    try {
      const hash = createHash('sha256')
      await cat(run.fs, provider.cid, hash)
      if (hash.digest('hex') !== provider.sha256) {
        throw new Error('fetched bytes differ from the added ones')
      }
    } finally {
      await run.helia.stop()
    }
    return {
      heliaFetchMiBps: round(mib / run.seconds),
      mib,
      seconds: run.seconds,
      warmUpSeconds: warm.seconds,
      processes,
      cid: provider.cid.toString(),
      heliaVersion,
      libp2pVersion: LIBP2P_VERSION,
      node: process.versions.node
    }
  } finally {
    await provider.stop()
  }
}

let result
if (args.add != null) {
  result = await add(args.add)
} else {
  const mib = Number(args.fetch)
  const processes = Number(args.processes)
  if (!Number.isInteger(mib) || mib < 1 || mib > 1024 || (processes !== 1 && processes !== 2)) {
    throw new Error(`bad arguments: ${JSON.stringify(args)}`)
  }
  result = await fetch(mib, processes)
}
process.stdout.write(JSON.stringify(result) + '\n')
// libp2p may leave timers behind after stop
process.exit(0)
