//! A minimal blocking HTTP/1.1 GET over `std::net`, enough for the devnet's
//! header API on loopback and plain `http://` URLs, so the CLI needs no
//! HTTP client crate. One request per connection (`Connection: close`);
//! bodies by `Content-Length`, chunked encoding, or up to the close.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The largest body accepted (light blocks of 150 validators are ~20 KB).
const MAX_BODY: usize = 16 << 20;

/// GETs `url` with a 30 s timeout; returns the body of a 2xx answer, or a
/// sentence saying why not.
pub fn get(url: &str) -> Result<Vec<u8>, String> {
    get_with_timeout(url, Duration::from_secs(30))
}

/// GETs `url` with `timeout` for connecting and for each read.
pub fn get_with_timeout(url: &str, timeout: Duration) -> Result<Vec<u8>, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("only http:// URLs are supported, not {url:?}"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err(format!("no host in {url:?}"));
    }
    let addr = if authority.contains(':') { authority.to_string() } else { format!("{authority}:80") };
    let socket = addr
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {addr}: {e}"))?
        .next()
        .ok_or_else(|| format!("no address for {addr}"))?;
    let mut stream =
        TcpStream::connect_timeout(&socket, timeout).map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("cannot send the request: {e}"))?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| format!("no answer: {e}"))?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP answer: {line:?}"))?;
    let mut length = None;
    let mut chunked = false;
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(|e| format!("truncated headers: {e}"))?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "content-length" {
                length = Some(value.parse::<usize>().map_err(|_| format!("bad content-length {value:?}"))?);
            } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line).map_err(|e| format!("truncated chunk: {e}"))?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| format!("bad chunk size {line:?}"))?;
            if size == 0 {
                break;
            }
            if body.len() + size > MAX_BODY {
                return Err("the answer is too large".into());
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..]).map_err(|e| format!("truncated chunk: {e}"))?;
            line.clear();
            reader.read_line(&mut line).map_err(|e| format!("truncated chunk: {e}"))?;
        }
    } else if let Some(n) = length {
        if n > MAX_BODY {
            return Err("the answer is too large".into());
        }
        body.resize(n, 0);
        reader.read_exact(&mut body).map_err(|e| format!("truncated body: {e}"))?;
    } else {
        reader.take(MAX_BODY as u64).read_to_end(&mut body).map_err(|e| format!("truncated body: {e}"))?;
    }
    if !(200..300).contains(&status) {
        let text = String::from_utf8_lossy(&body);
        return Err(format!("HTTP {status}: {}", text.trim()));
    }
    Ok(body)
}
