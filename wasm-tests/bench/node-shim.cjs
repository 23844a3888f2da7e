// Stand-in for Node built-ins in the browser bundle: kzg-wasm and the 0G SDK
// import them only on paths a page never takes.
module.exports = {};
