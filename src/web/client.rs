//! Which client sent a request, for the limits kept per client: the connection's peer address,
//! or, when that peer is one of the configured trusted proxies, the address that proxy says it
//! forwarded for (`X-Forwarded-For`). A header from anyone else is ignored: it is the client's
//! own claim.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::PageError;
use crate::app::AppError;

/// The client's network address.
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            tracing::error!("served without connection info: use web::app, not web::router");
            return Err(PageError::App(AppError::unavailable(
                "muster cannot tell where this request came from.",
            ))
            .into_response());
        };
        Ok(ClientAddress(client(
            peer.ip(),
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy; then the nearest address
/// in `X-Forwarded-For` (read from the right, where each proxy appends its peer) that is not a
/// trusted proxy, or the farthest proxy when the header names nothing else it can read.
fn client(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&client) {
        return client;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for hop in hops.into_iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxy = ip("10.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        let spoofed = headers(&["203.0.113.9"]);
        assert_eq!(
            client(ip("198.51.100.7"), &spoofed, &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(client(proxy, &spoofed, &[]), proxy);
        assert_eq!(client(proxy, &spoofed, &trusted), ip("203.0.113.9"));
        // The client's own claim sits left of what our proxies appended.
        let chain = headers(&["1.2.3.4, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(client(proxy, &chain, &trusted), ip("203.0.113.9"));
        assert_eq!(
            client(proxy, &headers(&["junk, 10.0.0.2"]), &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(client(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(
            client(proxy, &headers(&["2001:db8::1"]), &trusted),
            ip("2001:db8::1")
        );
    }
}
