//! The error codes users see, in one table: each code with its HTTP status and what the user
//! could do instead. The server, the batch runner (CLI and API) and the command line all answer
//! from it, and every error body has one shape: `{"error": {"code", "message", "hint"}}`.

use serde::Serialize;
use serde_json::{json, Value};

/// What went wrong, as a stable code that scripts can match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The query text does not parse.
    BadQuery,
    /// A filter names a value the index does not hold.
    UnknownValue,
    /// A parameter or field is missing, unknown or malformed.
    BadParameter,
    /// A body (or a batch line) is not the JSON expected.
    BadJson,
    /// More queries in one batch than the server takes.
    BatchTooLarge,
    /// No such document, passage or work.
    NotFound,
    /// The server is stopping and takes no new work.
    ShuttingDown,
    /// The index could not answer; the server log says why.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order the documentation lists them.
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::BadQuery,
        ErrorCode::UnknownValue,
        ErrorCode::BadParameter,
        ErrorCode::BadJson,
        ErrorCode::BatchTooLarge,
        ErrorCode::NotFound,
        ErrorCode::ShuttingDown,
        ErrorCode::Internal,
    ];

    /// The code as it appears in answers.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadQuery => "bad_query",
            ErrorCode::UnknownValue => "unknown_value",
            ErrorCode::BadParameter => "bad_parameter",
            ErrorCode::BadJson => "bad_json",
            ErrorCode::BatchTooLarge => "batch_too_large",
            ErrorCode::NotFound => "not_found",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status the server answers with.
    pub const fn status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::ShuttingDown => 503,
            ErrorCode::Internal => 500,
            _ => 400,
        }
    }

    /// What the user could do instead, when one thing fits every case of the code.
    pub const fn hint(self) -> Option<&'static str> {
        match self {
            ErrorCode::BadQuery => {
                Some("words, \"exact phrases\", OR, -excluded, and filters such as agency:WHO")
            }
            ErrorCode::BadJson => Some(
                "send a JSON object with fields such as q, agency, topic, version, limit (a batch: \
                 one such object per line)",
            ),
            ErrorCode::BatchTooLarge => Some("split the batch"),
            _ => None,
        }
    }

    /// The error body: `{"error": {"code", "message", "hint"}}`; `hint` overrides the code's own.
    pub fn body(self, message: impl Into<String>, hint: Option<String>) -> Value {
        let mut err = json!({"code": self.as_str(), "message": message.into()});
        if let Some(h) = hint.or_else(|| self.hint().map(str::to_string)) {
            err["hint"] = json!(h);
        }
        json!({ "error": err })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_serialise_as_written() {
        let names: std::collections::BTreeSet<_> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for c in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
        }
    }

    #[test]
    fn a_body_carries_the_code_message_and_hint() {
        let b = ErrorCode::BadJson.body("line 3: expected value", None);
        assert_eq!(b["error"]["code"], "bad_json");
        assert!(b["error"]["hint"].as_str().unwrap().contains("JSON object"));
        let b = ErrorCode::NotFound.body("no passage x:1", None);
        assert!(b["error"].get("hint").is_none());
    }
}
