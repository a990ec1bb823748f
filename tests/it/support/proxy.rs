//! A TCP proxy for tests: a service "going away" (every connection dropped, nothing listening)
//! and coming back on the same port.

use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A TCP proxy in front of a service (PostgreSQL, Redis) that the test can cut, dropping every open connection, and
/// restore on the same port: the database "going away" and coming back.
pub struct Proxy {
    pub port: u16,
    upstream: String,
    stop: Option<watch::Sender<bool>>,
    stall: watch::Sender<bool>,
}

impl Proxy {
    pub async fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut proxy = Proxy {
            port,
            upstream: upstream.to_string(),
            stop: None,
            stall: watch::channel(false).0,
        };
        proxy.serve(listener);
        proxy
    }

    fn serve(&mut self, listener: TcpListener) {
        let (stop, stopped) = watch::channel(false);
        let upstream = self.upstream.clone();
        let stall = self.stall.clone();
        tokio::spawn(async move {
            let mut accept_stop = stopped.clone();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((mut client, _)) = accepted else { break };
                        let upstream = upstream.clone();
                        let mut conn_stop = stopped.clone();
                        let mut stalled = stall.subscribe();
                        tokio::spawn(async move {
                            if !*stalled.borrow() {
                                let Ok(mut server) = TcpStream::connect(&upstream).await else { return };
                                tokio::select! {
                                    _ = tokio::io::copy_bidirectional(&mut client, &mut server) => return,
                                    _ = conn_stop.changed() => return,
                                    _ = stalled.wait_for(|s| *s) => {}
                                }
                            }
                            // Stalled: the connection stays open and nothing comes back, until cut.
                            let _held = client;
                            let _ = conn_stop.changed().await;
                        });
                    }
                    _ = accept_stop.changed() => break,
                }
            }
        });
        self.stop = Some(stop);
    }

    /// Stops answering without closing anything: open connections and new ones stay up and
    /// nothing comes back, as from a service that hangs rather than refuses. Until [`cut`].
    ///
    /// [`cut`]: Proxy::cut
    pub fn stall(&mut self) {
        let _ = self.stall.send(true);
    }

    pub fn cut(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
    }

    pub async fn restore(&mut self) {
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        self.serve(listener);
    }
}

/// A second store on the test's schema, connected through a proxy the test can cut or stall.
pub async fn through_proxy(db: &super::TestDb) -> (Proxy, muster::store::Store) {
    let url = url::Url::parse(&db.url).unwrap();
    let upstream = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let proxy = Proxy::start(&upstream).await;
    let mut via_proxy = url.clone();
    via_proxy.set_port(Some(proxy.port)).unwrap();
    let store = muster::store::Store::connect(via_proxy.as_str())
        .await
        .unwrap();
    (proxy, store)
}
