//! `muster health`: asks the server at the configured `listen` address for `/healthz` and exits 0
//! when it answers 200. The container image has no shell or curl, so its `HEALTHCHECK` (and
//! compose's) runs this.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Asks `listen` (a wildcard address is asked on loopback) for `/healthz`, within two seconds.
pub async fn run(listen: SocketAddr) -> anyhow::Result<()> {
    let mut address = listen;
    if address.ip().is_unspecified() {
        address.set_ip(match address.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(address).await?;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await?;
        Ok::<_, std::io::Error>(head)
    };
    let head = tokio::time::timeout(Duration::from_secs(2), ask)
        .await
        .with_context(|| format!("no answer from http://{address}/healthz within 2 seconds"))?
        .with_context(|| format!("cannot ask http://{address}/healthz"))?;
    if &head != b"HTTP/1.1 200" {
        bail!(
            "http://{address}/healthz answered {:?}",
            String::from_utf8_lossy(&head)
        );
    }
    println!("healthy");
    Ok(())
}
