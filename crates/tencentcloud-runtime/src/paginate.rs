//! Walking paginated actions page by page.
//!
//! Generated builders of actions that page (`PageNumber`/`PageSize` or
//! `Offset`/`Limit`, as marked in the spec) offer `into_pages()`, which
//! returns a [`Pages`]: call [`Pages::next`] in a loop, or use it as a
//! [`futures_core::Stream`]. The walk stops after a page that is empty,
//! or when the pages fetched reach the total the service reports.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::BoxFuture;
use crate::error::{Error, ErrorCode};

/// How an action counts its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A page index from 0 and a page size.
    PageNumber,
    /// An item offset and a limit.
    Offset,
}

/// The position of the page after one that held `fetched` items, or `None` after the last page.
///
/// `size` is the requested page size or limit, when the request set one;
/// `total` is the service's count of all items, when it sent one.
pub fn next_position(style: Style, position: i128, size: Option<i128>, fetched: usize, total: Option<i128>) -> Option<i128> {
    let fetched = i128::try_from(fetched).ok()?;
    if fetched == 0 {
        return None;
    }
    let (next, seen) = match style {
        Style::PageNumber => {
            let size = size.filter(|s| *s > 0).unwrap_or(fetched);
            (position + 1, (position + 1).checked_mul(size)?)
        }
        Style::Offset => (position + fetched, position + fetched),
    };
    let more = match total {
        Some(total) => seen < total,
        // Without a total, a full page suggests there may be more.
        None => size.is_none_or(|s| fetched >= s),
    };
    more.then_some(next)
}

/// One page being fetched.
type PageFuture<Resp, C> = BoxFuture<'static, Result<Resp, Error<C>>>;

type Fetch<Req, Resp, C> = Box<dyn FnMut(Req) -> PageFuture<Resp, C> + Send>;

/// The pages of a paginated action, fetched one at a time as they are asked for.
pub struct Pages<Req, Resp, C: ErrorCode> {
    next: Option<Req>,
    fetch: Fetch<Req, Resp, C>,
    advance: fn(&Req, &Resp) -> Option<Req>,
    in_flight: Option<(Req, PageFuture<Resp, C>)>,
}

impl<Req, Resp, C: ErrorCode> fmt::Debug for Pages<Req, Resp, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("finished", &(self.next.is_none() && self.in_flight.is_none()))
            .finish_non_exhaustive()
    }
}

impl<Req, Resp, C> Pages<Req, Resp, C>
where
    Req: Clone + Send + Unpin + 'static,
    Resp: Send + 'static,
    C: ErrorCode,
{
    /// Starts at `first`; `fetch` sends one request, `advance` derives the next
    /// request from a request and its answer (`None` after the last page).
    pub fn new(
        first: Req,
        fetch: impl FnMut(Req) -> PageFuture<Resp, C> + Send + 'static,
        advance: fn(&Req, &Resp) -> Option<Req>,
    ) -> Self {
        Pages { next: Some(first), fetch: Box::new(fetch), advance, in_flight: None }
    }

    /// The next page, or `None` after the last one. After an error the walk ends.
    pub async fn next(&mut self) -> Option<Result<Resp, Error<C>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Resp, Error<C>>>> {
        if self.in_flight.is_none() {
            let Some(request) = self.next.take() else { return Poll::Ready(None) };
            let future = (self.fetch)(request.clone());
            self.in_flight = Some((request, future));
        }
        let Some((request, future)) = self.in_flight.as_mut() else { return Poll::Ready(None) };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        if let Ok(response) = &result {
            self.next = (self.advance)(request, response);
        }
        self.in_flight = None;
        Poll::Ready(Some(result))
    }
}

impl<Req, Resp, C> futures_core::Stream for Pages<Req, Resp, C>
where
    Req: Clone + Send + Unpin + 'static,
    Resp: Send + 'static,
    C: ErrorCode,
{
    type Item = Result<Resp, Error<C>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is Unpin (the in-flight future is boxed), so so is `Pages`.
        self.get_mut().poll_page(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_stop_at_the_total() {
        // 25 items, pages of 10: pages 0, 1, 2.
        assert_eq!(next_position(Style::PageNumber, 0, Some(10), 10, Some(25)), Some(1));
        assert_eq!(next_position(Style::PageNumber, 1, Some(10), 10, Some(25)), Some(2));
        assert_eq!(next_position(Style::PageNumber, 2, Some(10), 5, Some(25)), None);
        assert_eq!(next_position(Style::PageNumber, 0, Some(10), 10, Some(10)), None);
    }

    #[test]
    fn offsets_advance_by_what_was_fetched() {
        assert_eq!(next_position(Style::Offset, 0, Some(10), 10, Some(25)), Some(10));
        assert_eq!(next_position(Style::Offset, 20, Some(10), 5, Some(25)), None);
        // A service that returns fewer than asked still advances correctly.
        assert_eq!(next_position(Style::Offset, 0, Some(100), 20, Some(25)), Some(20));
    }

    #[test]
    fn empty_pages_and_missing_totals_end_the_walk() {
        assert_eq!(next_position(Style::PageNumber, 0, Some(10), 0, Some(25)), None);
        assert_eq!(next_position(Style::Offset, 0, Some(10), 10, None), Some(10));
        assert_eq!(next_position(Style::Offset, 10, Some(10), 3, None), None);
    }
}
