//! The clock requests are signed with, corrected for skew against the service.
//!
//! The service rejects a signature whose `X-TC-Timestamp` is more than five
//! minutes away from its own clock (`AuthFailure.SignatureExpire`). A host
//! with a wrong clock would then fail every call, so when that happens the
//! client learns the service's time from the answer's `Date` header, keeps the
//! difference, and adds it to the local clock from then on.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The largest correction accepted, either way: a day. A host clock off by a
/// time zone is corrected; a `Date` years away (a broken or hostile server or
/// proxy) is not believed, since signing with it, and judging the expiry of
/// temporary credentials by it, would do more harm than the skew.
pub const MAX_CLOCK_OFFSET: Duration = Duration::from_secs(24 * 60 * 60);

/// The clock requests are signed with: the local clock plus an offset learned
/// from the service, in whole seconds.
///
/// Every client built from one [`Config`](crate::Config) shares one: the skew
/// is a property of this host's clock, not of one action. The default
/// credentials chain judges the expiry of temporary credentials by the same
/// clock; hand it to your own [`CachingProvider`](crate::credentials::CachingProvider)
/// with [`with_clock`](crate::credentials::CachingProvider::with_clock) and
/// to [`ConfigBuilder::clock`](crate::ConfigBuilder::clock) for the same effect.
/// Clones share the offset.
#[derive(Debug, Default, Clone)]
pub struct ServiceClock {
    offset_seconds: Arc<AtomicI64>,
}

impl ServiceClock {
    /// A clock with no correction yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The Unix time to sign with: local time plus the learned offset.
    pub fn now(&self) -> i64 {
        unix_now().saturating_add(self.offset())
    }

    /// The current time by this clock.
    pub fn system_time(&self) -> SystemTime {
        let offset = self.offset();
        let magnitude = Duration::from_secs(offset.unsigned_abs());
        let local = SystemTime::now();
        let corrected = if offset >= 0 {
            local.checked_add(magnitude)
        } else {
            local.checked_sub(magnitude)
        };
        corrected.unwrap_or(local)
    }

    /// The offset currently applied, in seconds.
    pub fn offset(&self) -> i64 {
        self.offset_seconds.load(Ordering::Relaxed)
    }

    /// Learns the offset from the service's current time (Unix seconds).
    /// Returns the offset applied, or, when it would exceed
    /// [`MAX_CLOCK_OFFSET`], leaves the clock alone and returns the refused offset.
    pub fn correct_to(&self, server_time: i64) -> Result<i64, i64> {
        let offset = server_time.saturating_sub(unix_now());
        if offset.unsigned_abs() > MAX_CLOCK_OFFSET.as_secs() {
            return Err(offset);
        }
        self.offset_seconds.store(offset, Ordering::Relaxed);
        Ok(offset)
    }
}

/// Local Unix time in whole seconds; a clock before 1970 counts as 1970 rather than failing.
pub(crate) fn unix_now() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}

/// Parses an HTTP `Date` in the preferred IMF-fixdate form of RFC 7231
/// (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix seconds.
///
/// The obsolete RFC 850 and asctime forms are not accepted: servers must send
/// IMF-fixdate, and a date that cannot be read only means the skew is not
/// corrected, so the original error is returned instead.
pub(crate) fn parse_http_date(value: &str) -> Option<i64> {
    let mut parts = value.trim().split(' ').filter(|p| !p.is_empty());
    let weekday = parts.next()?;
    if !(weekday.len() == 4 && weekday.ends_with(',')) {
        return None;
    }
    let day: i64 = parse_digits(parts.next()?, 2)?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parse_digits(parts.next()?, 4)?;
    let mut time = parts.next()?.split(':');
    let hour: i64 = parse_digits(time.next()?, 2)?;
    let minute: i64 = parse_digits(time.next()?, 2)?;
    let second: i64 = parse_digits(time.next()?, 2)?;
    if time.next().is_some() || parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    // 60 allows a leap second, which Unix time folds into the next minute.
    if !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn parse_digits(text: &str, len: usize) -> Option<i64> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date: Howard Hinnant's
/// `days_from_civil`, the inverse of the conversion in [`crate::sign::utc_date`].
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_rfc_7231_example() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 23:59:59 GMT"),
            Some(951_868_799)
        );
    }

    #[test]
    fn agrees_with_the_signing_date() {
        for timestamp in [0, 951_868_799, 1_700_000_000, 4_102_444_800] {
            let date = crate::sign::utc_date(timestamp);
            let (y, rest) = date.split_once('-').unwrap();
            let (m, d) = rest.split_once('-').unwrap();
            let days = days_from_civil(y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap());
            assert_eq!(days, timestamp.div_euclid(86_400), "{date}");
        }
    }

    #[test]
    fn rejects_other_forms_and_nonsense() {
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Foo 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn correction_is_applied_to_later_timestamps() {
        let clock = ServiceClock::default();
        assert!((clock.now() - unix_now()).abs() <= 1);
        let offset = clock.correct_to(unix_now() + 3_600).unwrap();
        assert_eq!(clock.offset(), offset);
        assert!((clock.now() - unix_now() - 3_600).abs() <= 1);
        let ahead = clock
            .system_time()
            .duration_since(SystemTime::now())
            .unwrap();
        assert!(ahead > Duration::from_secs(3_598), "{ahead:?}");
    }

    #[test]
    fn corrections_beyond_a_day_are_refused() {
        let clock = ServiceClock::default();
        // The RFC 7231 example date is decades ago: not believed.
        assert!(clock.correct_to(784_111_777).is_err());
        assert!(clock.correct_to(i64::MAX).is_err());
        assert!(clock.correct_to(unix_now() - 2 * 86_400).is_err());
        assert_eq!(clock.offset(), 0);
        assert!(clock.correct_to(unix_now() - 86_000).is_ok());
    }
}
