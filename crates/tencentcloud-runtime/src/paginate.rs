//! Walking paginated actions page by page.
//!
//! Generated builders of actions that page (`PageNumber`/`PageSize` or
//! `Offset`/`Limit`, as marked in the spec) offer `into_pages()`, which
//! returns a [`Pages`]: call [`Pages::next`] in a loop, or use it as a
//! [`futures_core::Stream`]. The walk stops after a page that is empty,
//! or when the items actually received reach the total the service reports.
//! Counting items rather than pages matters when the service clamps an
//! oversized page size (asked for 100, it sends 20): the walk then goes on
//! through every smaller page instead of stopping after the first.

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

/// What a walk has received so far. [`Pages`] keeps one per walk and hands
/// it to the function that derives the next request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Items received in this walk, over all pages so far.
    received: i128,
    /// The position the walk started at.
    first_position: Option<i128>,
}

/// The position of the page after one that held `fetched` items, or `None` after the last page.
///
/// `size` is the requested page size or limit, when the request set one;
/// `total` is the service's count of all items, when it sent one; `progress`
/// accumulates the items received (call once per page, in order).
///
/// Page numbers advance by one; the walk is over once the items received
/// (plus those before the first page, for a walk not started at page 0)
/// reach the total, however many the service put in each page.
pub fn next_position(
    style: Style,
    position: i128,
    size: Option<i128>,
    fetched: usize,
    total: Option<i128>,
    progress: &mut Progress,
) -> Option<i128> {
    let fetched = i128::try_from(fetched).ok()?;
    let first = *progress.first_position.get_or_insert(position);
    progress.received = progress.received.checked_add(fetched)?;
    if fetched == 0 {
        return None;
    }
    let (next, seen) = match style {
        Style::PageNumber => {
            let size = size.filter(|s| *s > 0).unwrap_or(fetched);
            (
                position + 1,
                first.checked_mul(size)?.checked_add(progress.received)?,
            )
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

/// Derives the next request from a request, its answer and the walk's progress.
pub type Advance<Req, Resp> = fn(&Req, &Resp, &mut Progress) -> Option<Req>;

/// The pages of a paginated action, fetched one at a time as they are asked for.
pub struct Pages<Req, Resp, C: ErrorCode> {
    next: Option<Req>,
    fetch: Fetch<Req, Resp, C>,
    advance: Advance<Req, Resp>,
    progress: Progress,
    in_flight: Option<(Req, PageFuture<Resp, C>)>,
}

impl<Req, Resp, C: ErrorCode> fmt::Debug for Pages<Req, Resp, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field(
                "finished",
                &(self.next.is_none() && self.in_flight.is_none()),
            )
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
    /// request from a request, its answer and the walk's progress (`None`
    /// after the last page).
    pub fn new(
        first: Req,
        fetch: impl FnMut(Req) -> PageFuture<Resp, C> + Send + 'static,
        advance: Advance<Req, Resp>,
    ) -> Self {
        Pages {
            next: Some(first),
            fetch: Box::new(fetch),
            advance,
            progress: Progress::default(),
            in_flight: None,
        }
    }

    /// The next page, or `None` after the last one. After an error the walk ends.
    pub async fn next(&mut self) -> Option<Result<Resp, Error<C>>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Resp, Error<C>>>> {
        if self.in_flight.is_none() {
            let Some(request) = self.next.take() else {
                return Poll::Ready(None);
            };
            let future = (self.fetch)(request.clone());
            self.in_flight = Some((request, future));
        }
        let Some((request, future)) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        if let Ok(response) = &result {
            self.next = (self.advance)(request, response, &mut self.progress);
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

    /// Walks pages of `fetched` items from `start`, returning the positions asked for.
    fn walk(
        style: Style,
        start: i128,
        size: i128,
        pages: &[usize],
        total: Option<i128>,
    ) -> Vec<Option<i128>> {
        let mut progress = Progress::default();
        let mut position = start;
        let mut asked = Vec::new();
        for &fetched in pages {
            let next = next_position(style, position, Some(size), fetched, total, &mut progress);
            asked.push(next);
            match next {
                Some(next) => position = next,
                None => break,
            }
        }
        asked
    }

    #[test]
    fn page_numbers_stop_at_the_total() {
        // 25 items, pages of 10: pages 0, 1, 2.
        assert_eq!(
            walk(Style::PageNumber, 0, 10, &[10, 10, 5], Some(25)),
            [Some(1), Some(2), None]
        );
        assert_eq!(walk(Style::PageNumber, 0, 10, &[10], Some(10)), [None]);
        // Started at page 1: the first ten are counted as seen.
        assert_eq!(
            walk(Style::PageNumber, 1, 10, &[10, 5], Some(25)),
            [Some(2), None]
        );
    }

    #[test]
    fn a_clamped_page_size_does_not_cut_the_walk_short() {
        // Asked for 100 per page, the service sends 20: 45 items take three pages.
        assert_eq!(
            walk(Style::PageNumber, 0, 100, &[20, 20, 5], Some(45)),
            [Some(1), Some(2), None]
        );
        assert_eq!(
            walk(Style::Offset, 0, 100, &[20, 20, 5], Some(45)),
            [Some(20), Some(40), None]
        );
    }

    #[test]
    fn offsets_advance_by_what_was_fetched() {
        assert_eq!(walk(Style::Offset, 0, 10, &[10], Some(25)), [Some(10)]);
        assert_eq!(walk(Style::Offset, 20, 10, &[5], Some(25)), [None]);
        // A service that returns fewer than asked still advances correctly.
        assert_eq!(walk(Style::Offset, 0, 100, &[20], Some(25)), [Some(20)]);
    }

    #[test]
    fn empty_pages_and_missing_totals_end_the_walk() {
        assert_eq!(walk(Style::PageNumber, 0, 10, &[0], Some(25)), [None]);
        assert_eq!(walk(Style::Offset, 0, 10, &[10, 3], None), [Some(10), None]);
    }
}
