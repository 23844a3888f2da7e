//! Integration tests of the devnet over real sockets and on its EVM. One
//! binary for the crate: add new test modules here.

mod contracts;
mod evm_rpc;
mod rpc_over_http;
mod header_api;
mod oracle;
mod da_over_http;
mod storage_peers;
mod util;
