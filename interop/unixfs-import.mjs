// Imports a file or a folder with the reference UnixFS importer (ipfs-unixfs-importer) and
// prints {"cid": ..., "size": ...} of the root as one JSON line. Blocks are hashed and then
// dropped (black-hole blockstore), so a large import costs no memory.
//
// node --import ./polyfill.mjs unixfs-import.mjs [options] <path>...   (one JSON line per path)
//   --profile unixfs-v1-2025 | unixfs-v0-2015   (default: the importer's own defaults)
//   --cid-version 0|1   --raw-leaves true|false   --chunk-size <bytes>
//   --max-children <links per node>   --shard-split-strategy links-bytes|block-bytes
//   --shard-split-threshold <bytes>
// Explicit options override the profile. wrapWithDirectory is always false. A folder is fed
// as its files, its symbolic links (as UnixFS symlinks, not followed) and its empty folders,
// paths starting with the folder's own name, in byte order of names; other special files are
// skipped, and a folder with nothing importable counts as empty.
import { createReadStream } from 'node:fs'
import { readdir, readlink, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { BlackHoleBlockstore } from 'blockstore-core/black-hole'
import { importer } from 'ipfs-unixfs-importer'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'

const PROFILE_DEFAULTS = {
  'unixfs-v1-2025': { chunkSize: 1_048_576, maxChildren: 1_024 },
  'unixfs-v0-2015': { chunkSize: 262_144, maxChildren: 174 }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    profile: { type: 'string' },
    'cid-version': { type: 'string' },
    'raw-leaves': { type: 'string' },
    'chunk-size': { type: 'string' },
    'max-children': { type: 'string' },
    'shard-split-strategy': { type: 'string' },
    'shard-split-threshold': { type: 'string' }
  }
})
if (positionals.length === 0) {
  console.error('usage: unixfs-import.mjs [options] <file or folder>...')
  process.exit(2)
}

const options = { wrapWithDirectory: false }
const profile = values.profile
if (profile != null) {
  if (PROFILE_DEFAULTS[profile] == null) {
    console.error(`unknown profile ${profile}`)
    process.exit(2)
  }
  options.profile = profile
}
if (values['cid-version'] != null) options.cidVersion = Number(values['cid-version'])
if (values['raw-leaves'] != null) options.rawLeaves = values['raw-leaves'] === 'true'
if (values['shard-split-strategy'] != null) options.shardSplitStrategy = values['shard-split-strategy']
if (values['shard-split-threshold'] != null) {
  options.shardSplitThresholdBytes = Number(values['shard-split-threshold'])
}
const defaults = PROFILE_DEFAULTS[profile] ?? { chunkSize: 262_144, maxChildren: 174 }
options.chunker = fixedSize({ chunkSize: Number(values['chunk-size'] ?? defaults.chunkSize) })
options.layout = balanced({ maxChildrenPerNode: Number(values['max-children'] ?? defaults.maxChildren) })

async function * walk (dir, prefix) {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter(e => e.isDirectory() || e.isFile() || e.isSymbolicLink())
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
  if (entries.length === 0) {
    yield { path: prefix }
    return
  }
  for (const entry of entries) {
    const full = join(dir, entry.name)
    const path = `${prefix}/${entry.name}`
    if (entry.isDirectory()) {
      yield * walk(full, path)
    } else if (entry.isFile()) {
      yield { path, content: createReadStream(full, { highWaterMark: 1 << 20 }) }
    } else {
      yield { path, link: await readlink(full) }
    }
  }
}

for (const target of positionals) {
  const info = await stat(target)
  const source = info.isDirectory()
    ? walk(target, basename(target))
    : [{ content: createReadStream(target, { highWaterMark: 1 << 20 }) }]
  let last
  for await (const entry of importer(source, new BlackHoleBlockstore(), { ...options })) {
    last = entry
  }
  if (last == null) {
    console.error(`nothing imported from ${target}`)
    process.exit(1)
  }
  console.log(JSON.stringify({ path: target, cid: last.cid.toString(), size: Number(last.size) }))
}
