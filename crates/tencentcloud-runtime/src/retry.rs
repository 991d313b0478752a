//! Which failures are worth another attempt.

/// How a failure is treated by the retry loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The service refused because of its rate limit; it did not act, so retrying is always safe.
    Throttling,
    /// A passing fault (server error, broken connection, timeout): retrying may succeed.
    Transient,
    /// Retrying will fail the same way.
    Permanent,
}

/// Classifies a service error code.
pub fn classify_code(code: &str) -> Class {
    let family = code.split('.').next().unwrap_or(code);
    match family {
        "RequestLimitExceeded" => Class::Throttling,
        "InternalError" | "ServiceUnavailable" => Class::Transient,
        _ => Class::Permanent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_classified_by_family() {
        assert_eq!(classify_code("RequestLimitExceeded"), Class::Throttling);
        assert_eq!(classify_code("RequestLimitExceeded.UinLimitExceeded"), Class::Throttling);
        assert_eq!(classify_code("InternalError.DBError"), Class::Transient);
        assert_eq!(classify_code("ServiceUnavailable"), Class::Transient);
        assert_eq!(classify_code("InvalidParameter"), Class::Permanent);
        assert_eq!(classify_code("RequestLimitExceededX"), Class::Permanent);
    }
}
