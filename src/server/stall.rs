//! A connection that stops reading what we send is closed: actix-http has no write
//! timeout, so a client that never reads would keep its answer (up to tens of megabytes
//! for a large report) in memory for as long as it likes.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Sleep, sleep};

/// Fails a write, flush or shutdown that made no progress for `limit`.
pub struct WriteDeadline<T> {
    inner: T,
    limit: Duration,
    /// Armed while a write waits on the client; disarmed by any progress.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> WriteDeadline<T> {
    pub fn new(inner: T, limit: Duration) -> Self {
        WriteDeadline {
            inner,
            limit,
            stalled: None,
        }
    }

    /// After a write that returned `Pending`: the error once the stall has lasted too long,
    /// else `Pending` with the timer registered to wake the connection when it runs out.
    fn waited<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let limit = self.limit;
        let timer = self.stalled.get_or_insert_with(|| Box::pin(sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                tracing::info!(seconds = limit.as_secs(), "client stopped reading: connection closed");
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client read nothing for too long",
                )))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn outcome<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        match poll {
            Poll::Pending => self.waited(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteDeadline<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.outcome(cx, poll)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.outcome(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.outcome(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn a_client_that_reads_nothing_is_cut_off_and_one_that_reads_is_not() {
        // A pipe of 64 bytes that nobody reads: the second write waits forever.
        let (client, server) = tokio::io::duplex(64);
        let mut conn = WriteDeadline::new(server, Duration::from_secs(10));
        conn.write_all(&[b'x'; 64]).await.unwrap();
        let started = Instant::now();
        let error = conn.write_all(&[b'y'; 64]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(10));
        drop(client);

        // A slow reader that takes 5 s per chunk never stalls 10 s: every write succeeds.
        let (mut client, server) = tokio::io::duplex(64);
        let mut conn = WriteDeadline::new(server, Duration::from_secs(10));
        let reader = tokio::spawn(async move {
            let mut buf = [0u8; 64];
            let mut total = 0;
            while total < 64 * 4 {
                tokio::time::sleep(Duration::from_secs(5)).await;
                total += tokio::io::AsyncReadExt::read(&mut client, &mut buf).await.unwrap();
            }
            total
        });
        for _ in 0..4 {
            conn.write_all(&[b'z'; 64]).await.unwrap();
        }
        assert!(conn.stalled.is_none(), "progress disarms the timer");
        assert_eq!(reader.await.unwrap(), 256);
    }
}
