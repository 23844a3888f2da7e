//! Integration tests of the devnet over real sockets. One binary for the
//! crate: add new test modules here.

mod rpc_over_http;
