use std::net::TcpListener;

use actix_web::HttpServer;
use actix_web::dev::Server;

use crate::app::build_app;
use crate::state::AppState;

/// An HTTP server on an already-bound listener (tests bind port 0).
pub fn run(listener: TcpListener, state: AppState, workers: Option<usize>) -> std::io::Result<Server> {
    let server = HttpServer::new(move || build_app(state.clone())).listen(listener)?;
    let server = match workers {
        Some(workers) => server.workers(workers),
        None => server,
    };
    Ok(server.run())
}
