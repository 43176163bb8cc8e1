//! The error codes users see, in one table: each code with its HTTP status and what the user
//! could do instead. The server, the batch runner (CLI and API) and the command line all answer
//! from it, and every error body has one shape: `{"error": {"code", "message", "hint"}}`.

use serde::Serialize;
use serde_json::{json, Value};

/// What went wrong, as a stable code that scripts can match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
    /// No such document, passage, work or endpoint.
    NotFound,
    /// The endpoint exists but not with this method.
    MethodNotAllowed,
    /// The request took longer than the server allows.
    Timeout,
    /// The body is larger than the server takes.
    BodyTooLarge,
    /// The URL is longer than the server takes.
    UriTooLong,
    /// The body's Content-Type is not one the endpoint reads.
    UnsupportedMediaType,
    /// The request's headers are larger than the server takes.
    HeadersTooLarge,
    /// The server is stopping and takes no new work.
    ShuttingDown,
    /// The index could not answer; the server log says why.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order the documentation lists them.
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::BadQuery,
        ErrorCode::UnknownValue,
        ErrorCode::BadParameter,
        ErrorCode::BadJson,
        ErrorCode::BatchTooLarge,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Timeout,
        ErrorCode::BodyTooLarge,
        ErrorCode::UriTooLong,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::HeadersTooLarge,
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
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Timeout => "timeout",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::UriTooLong => "uri_too_long",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::HeadersTooLarge => "headers_too_large",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::Internal => "internal",
        }
    }

    /// The code the server answers with for an error `status` that a lower layer (routing,
    /// limits, timeouts) produced without a body of ours.
    pub fn for_status(status: u16) -> ErrorCode {
        ErrorCode::ALL
            .into_iter()
            .find(|c| c.status() == status && status != 400)
            .unwrap_or(if status >= 500 {
                ErrorCode::Internal
            } else {
                ErrorCode::BadParameter
            })
    }

    /// The HTTP status the server answers with.
    pub const fn status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Timeout => 408,
            ErrorCode::BodyTooLarge => 413,
            ErrorCode::UriTooLong => 414,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::HeadersTooLarge => 431,
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
            ErrorCode::MethodNotAllowed => {
                Some("GET /api/openapi.json lists the endpoints and their methods")
            }
            ErrorCode::Timeout => Some("narrow the request (fewer hits, a more specific query)"),
            ErrorCode::BodyTooLarge => Some("a body may be at most 2 MB: split the request"),
            ErrorCode::UriTooLong | ErrorCode::HeadersTooLarge => {
                Some("send the request as a JSON body (POST) instead")
            }
            _ => None,
        }
    }

    /// The error body: `{"error": {"code", "message", "hint"}}`; `hint` overrides the code's own.
    pub fn body(self, message: impl Into<String>, hint: Option<String>) -> Value {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self,
                message: message.into(),
                hint: hint.or_else(|| self.hint().map(str::to_string)),
            },
        };
        serde_json::to_value(body).unwrap_or_else(|_| json!({"error": {"code": self.as_str()}}))
    }
}

/// Every error answer: `{"error": {"code", "message", "hint"}}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong and what to do about it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// What was wrong, naming the parameter, file or line.
    pub message: String,
    /// What would be right, when there is one thing to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
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
    fn lower_layers_statuses_have_their_codes() {
        assert_eq!(ErrorCode::for_status(405), ErrorCode::MethodNotAllowed);
        assert_eq!(ErrorCode::for_status(413), ErrorCode::BodyTooLarge);
        assert_eq!(ErrorCode::for_status(400), ErrorCode::BadParameter);
        assert_eq!(ErrorCode::for_status(500), ErrorCode::Internal);
        assert_eq!(ErrorCode::for_status(418), ErrorCode::BadParameter);
    }

    #[test]
    fn a_body_carries_the_code_message_and_hint() {
        let b = ErrorCode::BadJson.body("line 3: expected value", None);
        assert_eq!(b["error"]["code"], "bad_json");
        assert!(b["error"]["hint"].as_str().unwrap().contains("JSON object"));
        let b = ErrorCode::UnknownValue.body("unknown agency `X`", None);
        assert!(b["error"].get("hint").is_none());
    }
}
