//! Reading a URL query string into a [`SearchRequest`]: repeated keys are alternatives
//! (`agency=WHO&agency=ILO`), unknown keys and malformed values are user errors that name the
//! parameter.

use crate::search::{SearchError, SearchRequest, Sort};

/// Decodes `%XX` escapes and `+`; None when the result is not UTF-8 or an escape is broken.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The key/value pairs of a query string, decoded.
pub fn pairs(query: &str) -> Result<Vec<(String, String)>, SearchError> {
    let mut out = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let bad = || SearchError::BadParam {
            param: "query string",
            message: format!(
                "`{}` is not valid percent-encoded UTF-8",
                part.chars().take(60).collect::<String>()
            ),
        };
        out.push((
            percent_decode(k).ok_or_else(bad)?,
            percent_decode(v).ok_or_else(bad)?,
        ));
    }
    Ok(out)
}

fn number(param: &'static str, v: &str) -> Result<usize, SearchError> {
    v.trim().parse().map_err(|_| SearchError::BadParam {
        param,
        message: format!("`{v}` is not a whole number"),
    })
}

/// Builds a search request from query-string pairs. `extra` names further keys the caller
/// reads itself (they are skipped here).
pub fn search_request(
    pairs: &[(String, String)],
    extra: &[&str],
) -> Result<SearchRequest, SearchError> {
    let mut r = SearchRequest::default();
    for (k, v) in pairs {
        match k.as_str() {
            "q" | "query" => r.q = Some(v.clone()),
            "speaker" => r.speaker.push(v.clone()),
            "label" | "speaker_label" => r.label.push(v.clone()),
            "agency" => r.agency.push(v.clone()),
            "topic" => r.topic.push(v.clone()),
            "kind" => r.kind.push(v.clone()),
            "version" => r.version.push(v.clone()),
            "work" => r.work.push(v.clone()),
            "doc" => r.doc.push(v.clone()),
            "language" | "lang" => r.language.push(v.clone()),
            "from" => r.from = Some(v.clone()),
            "to" => r.to = Some(v.clone()),
            "limit" => r.limit = Some(number("limit", v)?),
            "offset" => r.offset = Some(number("offset", v)?),
            "facets" => r.facets = Some(!matches!(v.as_str(), "false" | "0" | "no")),
            "sort" => {
                r.sort = Some(match v.as_str() {
                    "relevance" | "" => Sort::Relevance,
                    "date" => Sort::Date,
                    other => return Err(SearchError::BadParam { param: "sort", message: format!("`{other}`: expected relevance or date") }),
                })
            }
            other if extra.contains(&other) => {}
            other => {
                return Err(SearchError::BadParam {
                    param: "query string",
                    message: format!("unknown parameter `{}`: expected q, speaker, label, agency, topic, kind, version, work, doc, from, to, sort, limit, offset, facets", other.chars().take(40).collect::<String>()),
                })
            }
        }
    }
    // Empty values mean "no filter", as a form with an empty field sends them.
    for list in [
        &mut r.speaker,
        &mut r.label,
        &mut r.agency,
        &mut r.topic,
        &mut r.kind,
        &mut r.version,
        &mut r.work,
        &mut r.doc,
    ] {
        list.retain(|v| !v.trim().is_empty());
    }
    Ok(r)
}

/// A yes/no parameter: `true`/`1`/`yes`/empty or `false`/`0`/`no`.
pub fn flag(param: &'static str, v: &str) -> Result<bool, SearchError> {
    match v {
        "" | "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(SearchError::BadParam {
            param,
            message: format!("`{other}`: expected true or false"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_filters_and_escapes() {
        let p = pairs(
            "q=capacity+building&agency=WHO&agency=World%20Health%20Organization&limit=5&topic=",
        )
        .unwrap();
        let r = search_request(&p, &[]).unwrap();
        assert_eq!(r.q.as_deref(), Some("capacity building"));
        assert_eq!(r.agency, vec!["WHO", "World Health Organization"]);
        assert_eq!(r.limit, Some(5));
        assert!(r.topic.is_empty());
    }

    #[test]
    fn mistakes_name_the_parameter() {
        assert!(pairs("q=%FF").is_err());
        assert!(pairs("q=%4").is_err());
        let e = search_request(&pairs("limit=ten").unwrap(), &[]).unwrap_err();
        assert!(e.to_string().contains("limit"));
        let e = search_request(&pairs("agnecy=WHO").unwrap(), &[]).unwrap_err();
        assert!(e.to_string().contains("agnecy"));
    }
}
