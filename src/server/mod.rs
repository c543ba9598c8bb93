//! The HTTP server: actix-web's `HttpServer` assembled by hand, for one reason: each
//! connection is wrapped in [`unreadable::ProblemOnUnreadable`], so that a request actix-http
//! cannot parse (a request target over 64 KiB, a head over 128 KiB) gets a problem document
//! like every other error instead of actix-http's empty 400 or 431.

mod stall;
mod unreadable;

use std::net::TcpListener;
use std::time::Duration;

use actix_http::HttpService;
use actix_server::Server;
use actix_service::{IntoServiceFactory, ServiceFactoryExt as _, fn_service, map_config};
use actix_web::dev::AppConfig;

use crate::app::build_app;
use crate::state::AppState;
pub use stall::WriteDeadline;
pub use unreadable::ProblemOnUnreadable;

/// actix-web's defaults for `HttpServer`, kept.
const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// An HTTP server on an already-bound listener (tests bind port 0).
pub fn run(listener: TcpListener, state: AppState, workers: Option<usize>) -> std::io::Result<Server> {
    let local = listener.local_addr()?;
    let mut builder = Server::build();
    if let Some(workers) = workers {
        builder = builder.workers(workers);
    }
    let shutdown = builder.graceful_shutdown_signal();
    let write_timeout = state.write_timeout;
    let builder = builder.listen("planaction", listener, move || {
        let shutdown = shutdown.clone();
        let app = build_app(state.clone())
            .into_factory()
            .map_err(|err: actix_web::Error| err.error_response());
        let http = HttpService::build()
            .graceful_shutdown_signal(move || {
                let shutdown = shutdown.clone();
                async move { shutdown.notified().await }
            })
            .client_request_timeout(CLIENT_REQUEST_TIMEOUT)
            .client_disconnect_timeout(CLIENT_DISCONNECT_TIMEOUT)
            .local_addr(local)
            .h1(map_config(app, move |_| AppConfig::default()));
        fn_service(move |io: actix_web::rt::net::TcpStream| async move {
            let peer = io.peer_addr().ok();
            Ok::<_, actix_http::error::DispatchError>((
                ProblemOnUnreadable::new(WriteDeadline::new(io, write_timeout)),
                peer,
            ))
        })
        .and_then(http)
    })?;
    Ok(builder.run())
}
