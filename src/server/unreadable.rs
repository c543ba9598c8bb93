//! A problem document for the requests actix-http refuses before any middleware sees them.
//!
//! actix-http answers a head it cannot parse with a bodiless 400 (a request target over the
//! `http` crate's 64 KiB, a malformed request line or header) or 431 (a head over its 128 KiB
//! buffer), then closes the connection, and offers no hook to change that answer. This wrapper
//! sits on the connection: it notes how long the request line being read is, and when
//! actix-http writes one of those bodiless answers it writes a problem document in its place.
//! The application never writes them: its own errors always carry a body.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_web::ResponseError as _;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::app::URI_MAX;
use crate::error::ApiError;
use crate::i18n::{Lang, Text};

/// A connection whose unparseable requests are answered with `application/problem+json`.
pub struct ProblemOnUnreadable<T> {
    inner: T,
    request_line: RequestLine,
    /// The problem response being written in place of actix-http's, and how much is out.
    replacement: Option<(Vec<u8>, usize)>,
}

impl<T> ProblemOnUnreadable<T> {
    pub fn new(inner: T) -> Self {
        ProblemOnUnreadable {
            inner,
            request_line: RequestLine::default(),
            replacement: None,
        }
    }
}

/// Length of the request line read since the last response began (leading blank lines skipped,
/// as RFC 9112 §2.2 allows).
#[derive(Debug, Default, PartialEq)]
struct RequestLine {
    length: usize,
    complete: bool,
}

impl RequestLine {
    fn read(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match byte {
                _ if self.complete => return,
                b'\n' if self.length > 0 => self.complete = true,
                b'\r' | b'\n' => {}
                _ => self.length += 1,
            }
        }
    }
}

/// The status of a bodiless 400 or 431 response head, the only kind actix-http writes itself.
fn bodiless_refusal(written: &[u8]) -> Option<u16> {
    let status = [(&b"HTTP/1.1 400 "[..], 400), (&b"HTTP/1.1 431 "[..], 431)]
        .into_iter()
        .find_map(|(line, status)| written.starts_with(line).then_some(status))?;
    let head = written.strip_suffix(b"\r\n\r\n")?;
    if head.windows(4).any(|w| w == b"\r\n\r\n") {
        return None; // a body follows the head
    }
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.split("\r\n")
        .any(|line| line == "content-length: 0")
        .then_some(status)
}

/// What the client is told instead: 414 when the request line is too long, else why.
fn problem_for(status: u16, request_line: usize) -> ApiError {
    if request_line > URI_MAX {
        ApiError::UriTooLong { limit: URI_MAX }
    } else if status == 431 {
        ApiError::HeadersTooLarge
    } else {
        ApiError::BadRequest(Text::new(
            "La requête HTTP est mal formée : sa ligne de requête ou l'un de ses en-têtes ne peut être lu.",
            "The HTTP request is malformed: its request line or one of its headers cannot be read.",
        ))
    }
}

/// The whole response, in French: the request's `Accept-Language` could not be read.
fn problem_response(error: &ApiError, original_head: &[u8]) -> Vec<u8> {
    let status = error.status_code();
    let body = serde_json::to_vec(&error.problem(Lang::Fr, None)).unwrap_or_default();
    let date = String::from_utf8_lossy(original_head)
        .split("\r\n")
        .find(|line| line.to_ascii_lowercase().starts_with("date:"))
        .map(|line| format!("{line}\r\n"))
        .unwrap_or_default();
    let mut response = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/problem+json\r\ncontent-language: fr\r\n\
         content-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n\
         x-content-type-options: nosniff\r\n{date}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    response
}

impl<T: AsyncWrite + Unpin> ProblemOnUnreadable<T> {
    /// Writes out the replacement, if any, before anything else.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, sent)) = &mut self.replacement {
            if *sent == bytes.len() {
                self.replacement = None;
                break;
            }
            match ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*sent..]))? {
                0 => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                n => *sent += n,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemOnUnreadable<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let result = ready!(Pin::new(&mut this.inner).poll_read(cx, buf));
        this.request_line.read(&buf.filled()[before..]);
        Poll::Ready(result)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemOnUnreadable<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_replacement(cx))?;
        let request_line = std::mem::take(&mut this.request_line).length;
        let Some(status) = bodiless_refusal(buf) else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        let error = problem_for(status, request_line);
        tracing::info!(
            status = error.status_code().as_u16(),
            request_line,
            "unreadable request answered with a problem"
        );
        this.replacement = Some((problem_response(&error, buf), 0));
        match this.poll_replacement(cx) {
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            // Taken in charge: the rest goes out on the next write, flush or shutdown.
            _ => Poll::Ready(Ok(buf.len())),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFUSAL: &[u8] = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: Sat, 28 Nov 2026 10:00:00 GMT\r\n\r\n";

    #[test]
    fn only_bodiless_refusals_are_replaced() {
        assert_eq!(bodiless_refusal(REFUSAL), Some(400));
        let too_large = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bodiless_refusal(too_large), Some(431));
        let problem = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n{\"status\":1}";
        assert_eq!(bodiless_refusal(problem), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bodiless_refusal(ok), None);
        // A head whose length is 0 only as a prefix (e.g. 0123) is not bodiless.
        let long = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0123\r\n\r\n";
        assert_eq!(bodiless_refusal(long), None);
    }

    #[test]
    fn the_request_line_is_measured_across_reads() {
        let mut line = RequestLine::default();
        line.read(b"\r\nGET /a");
        line.read(b"bc HTTP/1.1\r\nHost: x\r\n");
        assert_eq!(
            line,
            RequestLine {
                length: 17,
                complete: true
            }
        );
    }

    #[test]
    fn a_long_request_line_is_414_and_anything_else_is_explained() {
        let uri = problem_response(&problem_for(400, 100_000), REFUSAL);
        let text = String::from_utf8(uri).unwrap();
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{text}");
        assert!(text.contains("content-type: application/problem+json\r\n"));
        assert!(text.contains("date: Sat, 28 Nov 2026 10:00:00 GMT\r\n"));
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["status"], 414);
        assert!(body["detail"].as_str().unwrap().contains("8192 octets"));
        assert_eq!(problem_for(400, 20).status_code().as_u16(), 400);
        assert_eq!(problem_for(431, 20).status_code().as_u16(), 431);
    }
}
