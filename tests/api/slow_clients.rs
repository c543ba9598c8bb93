//! Clients that send or read slowly hold a socket, never the pool nor memory for long:
//! everyone else is still answered at once.

use std::time::{Duration, Instant};

use planaction::auth::Role;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::helpers::{TestApp, TestDb, TestResult};

fn socket_address(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

/// The slowest of `count` ordinary reads made now.
async fn slowest_read(app: &TestApp, count: usize) -> Duration {
    let mut slowest = Duration::ZERO;
    for _ in 0..count {
        let started = Instant::now();
        let reply = app.get("/api/v1/plans").await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    slowest
}

#[tokio::test]
async fn bodies_sent_one_byte_at_a_time_hold_no_pooled_connection() -> TestResult {
    // The app's pool has 8 connections; 12 slow senders signed in as the observer.
    let app = TestApp::spawn().await;
    let observer = app.as_role(Role::Observer).token();
    let address = socket_address(&app);
    let mut senders = Vec::new();
    for _ in 0..12 {
        let mut stream = TcpStream::connect(&address).await?;
        let head = format!(
            "POST /api/v1/plans HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {observer}\r\n\
             Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await?;
        senders.push(tokio::spawn(async move {
            for _ in 0..20 {
                if stream.write_all(b" ").await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let slowest = slowest_read(&app, 8).await;
    assert!(
        slowest < Duration::from_secs(1),
        "an ordinary read took {slowest:?} while 12 bodies came slowly"
    );
    for sender in senders {
        sender.abort();
    }
    Ok(())
}

#[tokio::test]
async fn a_client_that_reads_nothing_is_cut_off_after_the_write_timeout() -> TestResult {
    let app = TestApp::spawn_configured(TestDb::new().await, |state| {
        state.write_timeout = Duration::from_secs(1);
    })
    .await;
    let mut conn = app.pool.get().await?;
    let plan = planaction::fixture::create(&mut conn, 8000, 0).await?;
    drop(conn);
    let path = format!("/api/v1/plans/{plan}/tree");
    let size = app.get(&path).await.headers["content-length"]
        .to_str()?
        .parse::<usize>()?;
    assert!(
        size > 5_000_000,
        "the tree is larger than the buffers between us (4 MB): {size} bytes"
    );

    // A small receive window, and nothing read: the answer stalls in the server.
    let socket = TcpSocket::new_v4()?;
    socket.set_recv_buffer_size(4096)?;
    let mut stream = socket.connect(socket_address(&app).parse()?).await?;
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {}\r\n\r\n",
        app.token()
    );
    stream.write_all(head.as_bytes()).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(slowest_read(&app, 3).await < Duration::from_secs(1));

    // Reading now gives what was sent before the cut, then the end of the connection.
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "the server closed the connection");
    assert!(
        received.len() < size,
        "the connection stayed open: {} of {size} bytes arrived",
        received.len()
    );
    Ok(())
}
