//! The server loop: every connection has a deadline for its request headers, every request
//! body a deadline for arriving, and shutdown drains. On the shutdown signal `/readyz` answers
//! 503 at once while the listener keeps serving for the drain period (so a load balancer can
//! move traffic away); then it stops accepting, lets requests in flight finish, and closes
//! the connections; a hard deadline ends it whatever is still open. `axum::serve` sets no
//! header timeout and waits for ever on a client that never finishes its request.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long each phase may take.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    /// A client must send its request headers within this.
    pub header_read: Duration,
    /// After the signal: keep serving this long (readiness already says no).
    pub drain: Duration,
    /// After the signal: stop, whatever is still open, by this.
    pub deadline: Duration,
}

pub async fn serve(
    listener: TcpListener,
    router: Router,
    timings: Timings,
    draining: Arc<AtomicBool>,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut signal = std::pin::pin!(signal);
    let mut signalled_at = None;
    loop {
        let drain_over = async {
            match signalled_at {
                Some(at) => tokio::time::sleep_until(at + timings.drain).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors, say: wait a moment rather than spin.
                        tracing::warn!(error = %e, "could not accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let watcher = graceful.watcher();
                let header_read = timings.header_read;
                tokio::spawn(async move {
                    // The peer's address is known to the handlers (the rate limits key on it).
                    let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                        req.extensions_mut().insert(ConnectInfo(peer));
                        router.clone().oneshot(req.map(axum::body::Body::new))
                    });
                    let mut builder = Builder::new(TokioExecutor::new());
                    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_read);
                    let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                    if let Err(e) = watcher.watch(conn.into_owned()).await {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                });
            }
            () = &mut signal, if signalled_at.is_none() => {
                draining.store(true, Ordering::SeqCst);
                signalled_at = Some(tokio::time::Instant::now());
                tracing::info!(drain_seconds = timings.drain.as_secs(), "shutting down: not ready, draining");
            }
            () = drain_over => break,
        }
    }
    // Stop accepting: new connections are refused, and a proxy tries another instance.
    drop(listener);
    let left = timings.deadline.saturating_sub(timings.drain);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed"),
        () = tokio::time::sleep(left) => tracing::warn!("shutdown deadline reached: closing connections still open"),
    }
    Ok(())
}
