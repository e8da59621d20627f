// Node.js 20 lacks Promise.withResolvers (added in Node.js 22), which the
// js-libp2p 3.x line calls. Load with `node --import ./polyfill.mjs ...`.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    }
  })
}
