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
    /// A file (a document, manifest, registry or query mix) cannot be read as what it should be.
    BadInput,
    /// More queries in one batch than the server takes.
    BatchTooLarge,
    /// No such document, passage, work, saved search, index or endpoint.
    NotFound,
    /// The endpoint exists but not with this method.
    MethodNotAllowed,
    /// The request took longer than the server allows.
    Timeout,
    /// The index was built by another version of travaux.
    IndexOutdated,
    /// The body is larger than the server takes.
    BodyTooLarge,
    /// The URL is longer than the server takes.
    UriTooLong,
    /// The body's Content-Type is not one the endpoint reads.
    UnsupportedMediaType,
    /// The request's headers are larger than the server takes.
    HeadersTooLarge,
    /// The index is being written by another ingest.
    IndexBusy,
    /// The server is stopping and takes no new work.
    ShuttingDown,
    /// The index could not answer; the server log says why.
    Internal,
}

/// One row of the table: a code, as answers write it, its HTTP status, and what the user could
/// do instead when one thing fits every case of the code.
pub struct Row {
    pub code: ErrorCode,
    pub name: &'static str,
    pub status: u16,
    pub hint: Option<&'static str>,
}

/// Every code, in the order the documentation lists them.
pub const TABLE: [Row; 17] = [
    Row {
        code: ErrorCode::BadQuery,
        name: "bad_query",
        status: 400,
        hint: Some("words, \"exact phrases\", OR, -excluded, and filters such as agency:WHO"),
    },
    Row {
        code: ErrorCode::UnknownValue,
        name: "unknown_value",
        status: 400,
        hint: None,
    },
    Row {
        code: ErrorCode::BadParameter,
        name: "bad_parameter",
        status: 400,
        hint: None,
    },
    Row {
        code: ErrorCode::BadJson,
        name: "bad_json",
        status: 400,
        hint: Some(
            "send a JSON object with fields such as q, agency, topic, version, limit (a batch: \
             one such object per line)",
        ),
    },
    Row {
        code: ErrorCode::BadInput,
        name: "bad_input",
        status: 400,
        hint: Some(
            "the message names the file and, where it can, the line: correct it and run again",
        ),
    },
    Row {
        code: ErrorCode::BatchTooLarge,
        name: "batch_too_large",
        status: 400,
        hint: Some("split the batch"),
    },
    Row {
        code: ErrorCode::NotFound,
        name: "not_found",
        status: 404,
        hint: None,
    },
    Row {
        code: ErrorCode::MethodNotAllowed,
        name: "method_not_allowed",
        status: 405,
        hint: Some("GET /api/openapi.json lists the endpoints and their methods"),
    },
    Row {
        code: ErrorCode::Timeout,
        name: "timeout",
        status: 408,
        hint: Some("narrow the request (fewer hits, a more specific query)"),
    },
    Row {
        code: ErrorCode::IndexOutdated,
        name: "index_outdated",
        status: 409,
        hint: Some("rebuild the index: travaux ingest --rebuild --index DIR PATH..."),
    },
    Row {
        code: ErrorCode::BodyTooLarge,
        name: "body_too_large",
        status: 413,
        hint: Some("a body may be at most 2 MB: split the request"),
    },
    Row {
        code: ErrorCode::UriTooLong,
        name: "uri_too_long",
        status: 414,
        hint: Some("send the request as a JSON body (POST) instead"),
    },
    Row {
        code: ErrorCode::UnsupportedMediaType,
        name: "unsupported_media_type",
        status: 415,
        hint: None,
    },
    Row {
        code: ErrorCode::HeadersTooLarge,
        name: "headers_too_large",
        status: 431,
        hint: Some("send the request as a JSON body (POST) instead"),
    },
    Row {
        code: ErrorCode::IndexBusy,
        name: "index_busy",
        status: 503,
        hint: Some("wait for the other ingest to finish"),
    },
    Row {
        code: ErrorCode::ShuttingDown,
        name: "shutting_down",
        status: 503,
        hint: None,
    },
    Row {
        code: ErrorCode::Internal,
        name: "internal",
        status: 500,
        hint: None,
    },
];

impl ErrorCode {
    /// Every code, in the table's order.
    pub const ALL: [ErrorCode; 17] = {
        let mut all = [ErrorCode::Internal; 17];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].code;
            i += 1;
        }
        all
    };

    /// The code's row of [`TABLE`].
    pub const fn row(self) -> &'static Row {
        let mut i = 0;
        while i < TABLE.len() {
            if TABLE[i].code as u8 == self as u8 {
                return &TABLE[i];
            }
            i += 1;
        }
        panic!("every code has a row")
    }

    /// The code as it appears in answers.
    pub const fn as_str(self) -> &'static str {
        self.row().name
    }

    /// The HTTP status the server answers with.
    pub const fn status(self) -> u16 {
        self.row().status
    }

    /// What the user could do instead, when one thing fits every case of the code.
    pub const fn hint(self) -> Option<&'static str> {
        self.row().hint
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

/// An error that knows its code: every error type of the library says which row of [`TABLE`]
/// it is, so the server, the batch runner and the command line answer it alike.
pub trait Coded: std::error::Error {
    /// The code of this error.
    fn code(&self) -> ErrorCode;
    /// What the user could do instead: the code's hint unless the error knows better.
    fn hint(&self) -> Option<String> {
        self.code().hint().map(str::to_string)
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
            assert_eq!(c.row().code, c);
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
