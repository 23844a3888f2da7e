//! A minimal HTTP/1.1 GET client over `std::net` for plain `http://` URLs
//! (the devnet's loopback DA nodes), so the CLI needs no HTTP stack. It
//! sends `Connection: close` and reads the body by `Content-Length` or to
//! the end of the stream; it does not follow redirects or speak TLS.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};

/// GETs `url` with `timeout` for connecting and for each read; returns the
/// body of a 2xx response, or an error naming the status and the body's start.
pub fn get(url: &str, timeout: Duration) -> anyhow::Result<Vec<u8>> {
    let rest = url.strip_prefix("http://").ok_or_else(|| anyhow!("only http:// URLs are supported, not {url}"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = host.to_socket_addrs().with_context(|| format!("cannot resolve {host}"))?.next().ok_or_else(|| anyhow!("no address for {host}"))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout).with_context(|| format!("cannot connect to {host}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept: */*\r\n\r\n")?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).with_context(|| format!("reading the answer from {host}"))?;
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| anyhow!("{url}: no HTTP header in the answer"))?;
    let head = std::str::from_utf8(&raw[..end]).context("HTTP header is not UTF-8")?;
    let mut body = raw[end + 4..].to_vec();
    let status: u16 = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| anyhow!("{url}: bad status line"))?;
    let mut chunked = false;
    for line in head.lines().skip(1) {
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                let len: usize = v.trim().parse().context("bad Content-Length")?;
                body.truncate(len);
            } else if k.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked") {
                chunked = true;
            }
        }
    }
    if chunked {
        body = dechunk(&body)?;
    }
    if !(200..300).contains(&status) {
        bail!("{url}: HTTP {status}: {}", String::from_utf8_lossy(&body[..body.len().min(200)]));
    }
    Ok(body)
}

fn dechunk(mut data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").ok_or_else(|| anyhow!("bad chunked body"))?;
        let size_text = std::str::from_utf8(&data[..line_end])?.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).context("bad chunk size")?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            bail!("chunked body cut short");
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}
