//! The search request, declared once. The CLI's search flags (clap), a JSON body or batch line
//! (serde), a URL query string (serde, repeated keys as alternatives) and the OpenAPI document's
//! description of all of them (utoipa) are derived from [`SearchRequest`], so they cannot drift.

use serde::{Deserialize, Deserializer, Serialize};

/// How hits are ordered.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    Default,
    clap::ValueEnum,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25); browsing without words goes in document order.
    #[default]
    Relevance,
    /// Newest document first, each document's passages in their own order.
    Date,
    /// Oldest document first, each document's passages in their own order.
    #[serde(rename = "date-asc")]
    #[value(name = "date-asc")]
    DateAsc,
}

/// Whether a paragraph found in several versions of a work is one hit or one per version.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    Default,
    clap::ValueEnum,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Collapse {
    /// Every matching passage (the default).
    #[default]
    None,
    /// A paragraph once, at its latest matching version, with `versions` listing where it
    /// appears and how it changed.
    Lineage,
}

/// One search: words and filters. Each filter takes one value or several (alternatives); in a
/// query string, repeat the key (`agency=WHO&agency=ILO`).
#[derive(
    Debug, Clone, Default, Deserialize, Serialize, clap::Args, utoipa::ToSchema, utoipa::IntoParams,
)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchRequest {
    /// Echoed back in batch answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[arg(skip)]
    #[param(ignore)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: Option<serde_json::Value>,
    /// Words, "phrases", OR, -excluded, and inline filters such as agency:WHO.
    #[serde(default, alias = "query")]
    #[arg(skip)]
    pub q: Option<String>,
    /// The speaker, by name or any registered form of it.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many")]
    #[arg(long)]
    pub speaker: Vec<String>,
    /// The speaker label as the transcript writes it.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many", alias = "speaker_label")]
    #[arg(long)]
    pub label: Vec<String>,
    /// The entity speaking (agency, Member State, organisation), by any registered alias.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many")]
    #[arg(long)]
    pub agency: Vec<String>,
    /// A topic of `index-schema/topics.toml` (WSIS action lines, GDC objectives, …).
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many")]
    #[arg(long)]
    pub topic: Vec<String>,
    /// transcript, resolution or submission.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many")]
    #[arg(long)]
    pub kind: Vec<String>,
    /// A document version (zero-draft, rev1, final, …), or one a passage speaks about.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many")]
    #[arg(long)]
    pub version: Vec<String>,
    /// A work: the versions of one text.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many")]
    #[arg(long)]
    pub work: Vec<String>,
    /// A document id.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many", alias = "document")]
    #[arg(long)]
    pub doc: Vec<String>,
    /// Language code of the passage (`en`, `es`, `fr`).
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many", alias = "lang")]
    #[arg(long)]
    pub language: Vec<String>,
    /// The speaker's role (`co-facilitator`, `chair`, `president`), as the source or the
    /// speakers registry gives it.
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many")]
    #[arg(long)]
    pub role: Vec<String>,
    /// A document the passage or its footnotes cite: its symbol (`A/RES/70/125`), or a
    /// resolution or decision as the text cites it (`70/125`, `S/RES/2250(2015)`).
    #[schema(schema_with = one_or_many_schema)]
    #[serde(default, deserialize_with = "one_or_many", alias = "cited")]
    #[arg(long)]
    pub cites: Vec<String>,
    /// Earliest date: a day (YYYY-MM-DD), or the first day of a month (YYYY-MM) or year (YYYY);
    /// years 1000 to 9999. (The pattern is the calendar: months 01–12, the days each month has,
    /// 29 February in leap years.)
    #[serde(default)]
    #[arg(long)]
    #[schema(
        pattern = r"^([1-9][0-9]{3}(-(0[1-9]|1[0-2]))?|[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29)$"
    )]
    #[param(
        pattern = r"^([1-9][0-9]{3}(-(0[1-9]|1[0-2]))?|[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29)$"
    )]
    pub from: Option<String>,
    /// Latest date: a day (YYYY-MM-DD), or the last day of a month (YYYY-MM) or year (YYYY);
    /// years 1000 to 9999.
    #[serde(default)]
    #[arg(long)]
    #[schema(
        pattern = r"^([1-9][0-9]{3}(-(0[1-9]|1[0-2]))?|[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29)$"
    )]
    #[param(
        pattern = r"^([1-9][0-9]{3}(-(0[1-9]|1[0-2]))?|[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29)$"
    )]
    pub to: Option<String>,
    /// relevance (default), date (newest first) or date-asc (oldest first).
    #[serde(default)]
    #[arg(long, value_enum)]
    pub sort: Option<Sort>,
    /// none (default: every passage) or lineage (a paragraph once across a work's versions).
    #[serde(default)]
    #[arg(long, value_enum)]
    pub collapse: Option<Collapse>,
    /// A language code (`en`, `fr`, …): each hit comes with its counterpart in that language,
    /// where the index holds the hit's document in it.
    #[serde(default)]
    #[arg(long)]
    #[schema(min_length = 1)]
    #[param(min_length = 1)]
    pub beside: Option<String>,
    /// Hits per page (default 10, at most 100).
    #[serde(default)]
    #[arg(long)]
    #[schema(minimum = 1, maximum = 100)]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Hits skipped (offset + limit at most 10,000).
    #[serde(default)]
    #[arg(long)]
    #[schema(minimum = 0, maximum = 9999)]
    #[param(minimum = 0, maximum = 9999)]
    pub offset: Option<usize>,
    /// Count facets over every match (default true).
    #[serde(default)]
    #[arg(long)]
    pub facets: Option<bool>,
    /// Above this many matches facets are counted on an even sample of them and the answer
    /// says so (`facet_sample`); default 50,000. Set it above the total for exact counts.
    #[serde(default)]
    #[arg(long)]
    #[schema(minimum = 1)]
    #[param(minimum = 1)]
    pub facet_sample_threshold: Option<usize>,
}

/// In a JSON body a filter is one value, several, or null.
fn one_or_many_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
    Schema::OneOf(
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)))
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .build(),
    )
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
        Null(()),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
        OneOrMany::Null(()) => Vec::new(),
    })
}

/// A query string that is not a search request: which parameter, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{param}`: {message}")]
pub struct QueryStringError {
    pub param: String,
    pub message: String,
}

/// Reads a URL query string into any request type: unknown keys and malformed values are
/// errors that name the parameter.
pub fn from_query_string<T: serde::de::DeserializeOwned>(
    query: &str,
) -> Result<T, QueryStringError> {
    // Form decoding replaces what is not UTF-8; a request whose bytes are not text is refused
    // instead of being read as something the user did not send.
    for part in query.split('&') {
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(part).collect();
        if std::str::from_utf8(&bytes).is_err() {
            return Err(QueryStringError {
                param: "query string".into(),
                message: format!(
                    "`{}` is not percent-encoded UTF-8",
                    part.chars().take(60).collect::<String>()
                ),
            });
        }
    }
    let de = serde_html_form::Deserializer::from_bytes(query.as_bytes());
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        QueryStringError {
            param: if path == "." {
                "query string".into()
            } else {
                path
            },
            message: e.into_inner().to_string(),
        }
    })
}

impl SearchRequest {
    /// The parameters that shape one page of an answer, not which passages match: an export,
    /// which answers every match in document order, takes none of them.
    pub const PAGING: [&'static str; 5] = [
        "limit",
        "offset",
        "facets",
        "facet_sample_threshold",
        "sort",
    ];

    /// The first of [`Self::PAGING`] the request sets.
    pub fn paging_given(&self) -> Option<&'static str> {
        let given = [
            self.limit.is_some(),
            self.offset.is_some(),
            self.facets.is_some(),
            self.facet_sample_threshold.is_some(),
            self.sort.is_some(),
        ];
        Self::PAGING
            .into_iter()
            .zip(given)
            .find_map(|(name, set)| set.then_some(name))
    }

    /// The search as a query string, as `/api/search` and the page read it; paging and the
    /// batch id are not part of it (a saved search, a link to try).
    pub fn to_query_string(&self) -> String {
        let req = SearchRequest {
            id: None,
            limit: None,
            offset: None,
            facets: None,
            facet_sample_threshold: None,
            ..self.clone()
        };
        serde_html_form::to_string(&req).unwrap_or_default()
    }

    /// Reads a URL query string (`q=capacity+building&agency=WHO&agency=ILO&limit=5`). Unknown
    /// keys and malformed values are errors that name the parameter; empty filter values mean
    /// "no filter", as a form with an empty field sends them.
    pub fn from_query_string(query: &str) -> Result<SearchRequest, QueryStringError> {
        // An empty filter is no filter (as a form sends it), but a number or a switch left
        // empty is a mistake the schema does not allow.
        for part in query.split('&') {
            if let Some(key @ ("limit" | "offset" | "facets" | "facet_sample_threshold")) =
                part.strip_suffix('=')
            {
                return Err(QueryStringError {
                    param: key.into(),
                    message: format!(
                        "empty: expected {}",
                        if key == "facets" {
                            "true or false"
                        } else {
                            "a number"
                        }
                    ),
                });
            }
        }
        let mut r: SearchRequest = from_query_string(query)?;
        r.drop_empty_filters();
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_told_apart_from_what_matches() {
        let given = |q: &str| SearchRequest::from_query_string(q).unwrap().paging_given();
        assert_eq!(given("q=x&agency=WHO&from=2025"), None);
        assert_eq!(
            given("q=x&facet_sample_threshold=5"),
            Some("facet_sample_threshold")
        );
        assert_eq!(given("sort=date&offset=10"), Some("offset"));
    }

    #[test]
    fn repeated_filters_and_escapes() {
        let r = SearchRequest::from_query_string(
            "q=capacity+building&agency=WHO&agency=World%20Health%20Organization&limit=5&topic=",
        )
        .unwrap();
        assert_eq!(r.q.as_deref(), Some("capacity building"));
        assert_eq!(r.agency, vec!["WHO", "World Health Organization"]);
        assert_eq!(r.limit, Some(5));
        assert!(r.topic.is_empty());
    }

    #[test]
    fn mistakes_name_the_parameter() {
        let e = SearchRequest::from_query_string("limit=ten").unwrap_err();
        assert_eq!(e.param, "limit");
        let e = SearchRequest::from_query_string("agnecy=WHO").unwrap_err();
        assert!(e.message.contains("agnecy"), "{e}");
        let e = SearchRequest::from_query_string("facets=garbage").unwrap_err();
        assert_eq!(e.param, "facets");
        assert!(SearchRequest::from_query_string("q=%FF%FE").is_err());
        let e = SearchRequest::from_query_string("q=a&q=b").unwrap_err();
        assert_eq!(e.param, "q", "{e}");
        let e = SearchRequest::from_query_string("limit=1&limit=2").unwrap_err();
        assert_eq!(e.param, "limit", "{e}");
        let e = SearchRequest::from_query_string("sort=newest").unwrap_err();
        assert_eq!(e.param, "sort");
    }

    #[test]
    fn json_takes_one_value_or_several() {
        let r: SearchRequest =
            serde_json::from_str(r#"{"q": "privacy", "agency": "WHO", "topic": ["a", "b"]}"#)
                .unwrap();
        assert_eq!(r.agency, vec!["WHO"]);
        assert_eq!(r.topic, vec!["a", "b"]);
        assert!(serde_json::from_str::<SearchRequest>(r#"{"agnecy": "WHO"}"#).is_err());
    }
}
