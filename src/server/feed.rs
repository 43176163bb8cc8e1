//! Following searches: a search's newest matches as an Atom feed (`/api/feed.atom`), and the
//! saved searches of `travaux alerts` (`/api/alerts`, each as `/api/alerts/{name}.atom`). The
//! saved searches are read from the index's folder on each request: one added while the server
//! runs is served at once.

use super::http::{blocking, query, ApiResult, NoParams};
use super::AppState;
use crate::errors::ErrorBody;
use crate::query::search::{self, SearchError, SearchRequest};
use crate::services::alerts::{AlertError, Alerts};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The feed endpoints, each with its OpenAPI operation.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feed))
        .routes(routes!(alerts))
        .routes(routes!(alert_feed))
}

/// Follow a search: its newest matches as an Atom feed, for any feed reader (the same
/// parameters as a search; the 20 newest passages unless `limit` says otherwise).
#[utoipa::path(get, path = "/api/feed.atom", tag = "search", params(SearchRequest),
    responses(
        (status = 200, description = "The newest matches, newest first, as an Atom feed", content_type = "application/atom+xml", body = String),
        (status = 400, description = "A query, filter or parameter the server cannot read", body = ErrorBody)))]
pub(super) async fn feed(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let q = q.unwrap_or_default();
    let base = base_url(&st, &headers);
    let this = format!("{base}/api/feed.atom?{q}");
    atom_answer(st, q, base, this).await
}

/// Where users reach this server: `--base-url` when given, else the request's `Host` (over
/// http), else the loopback name. Feed readers resolve relative links against the feed's own
/// address, which they may have rewritten, so every link in a feed is absolute.
fn base_url(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(b) = &st.base_url {
        return b.to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The Atom answer for a search given as a query string.
async fn atom_answer(
    st: AppState,
    query: String,
    base: String,
    this: String,
) -> ApiResult<Response> {
    let mut req = SearchRequest::from_query_string(&query).map_err(SearchError::from)?;
    req.sort = Some(search::Sort::Date);
    req.limit = Some(req.limit.unwrap_or(20));
    req.facets = Some(false);
    let body = blocking(move || {
        let resp =
            crate::versions::collapse::search_with(&st.idx, &st.idx.reader.searcher(), &req)?;
        Ok(atom(&query, &req, &resp, &base, &this))
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// Text for XML: escaped as for HTML, without the control characters XML 1.0 cannot carry.
fn xml(s: &str) -> String {
    let allowed = |c: &char| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r');
    crate::text::escape_html(&s.chars().filter(allowed).collect::<String>())
}

/// An Atom feed (RFC 4287) of a search's hits.
fn atom(
    query: &str,
    req: &SearchRequest,
    resp: &search::SearchResponse,
    base: &str,
    this: &str,
) -> String {
    let day = |d: Option<crate::model::Date>| {
        d.map_or_else(
            || "1970-01-01T00:00:00Z".to_string(),
            |d| format!("{d}T00:00:00Z"),
        )
    };
    let updated = day(resp
        .hits
        .iter()
        .filter_map(|h| h.passage.document.date)
        .max());
    let title = match req.q.as_deref().filter(|q| !q.trim().is_empty()) {
        Some(q) => format!("travaux: {q}"),
        None => "travaux: newest passages".to_string(),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", xml(&title)));
    out.push_str(&format!(
        "  <id>urn:travaux:search:{}</id>\n",
        xml(&crate::text::norm_key(query).replace(' ', "+"))
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}\"/>\n",
        xml(&format!("{base}/?{query}"))
    ));
    out.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n", xml(this)));
    out.push_str("  <author><name>travaux</name></author>\n");
    for h in &resp.hits {
        let p = &h.passage;
        let d = &p.document;
        let mut head = vec![d.symbol.clone().unwrap_or_else(|| d.title.clone())];
        if let Some(par) = &p.locator.paragraph {
            head.push(format!("para. {par}"));
        }
        if let Some(who) = p.speaker.as_ref().or(p.agency.as_ref()) {
            head.push(who.clone());
        }
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <id>urn:travaux:passage:{}</id>\n",
            xml(&p.id)
        ));
        out.push_str(&format!("    <title>{}</title>\n", xml(&head.join(" · "))));
        out.push_str(&format!("    <updated>{}</updated>\n", day(d.date)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            xml(&format!(
                "{base}/documents/{}#p-{}",
                percent_encoding::utf8_percent_encode(&d.id, percent_encoding::NON_ALPHANUMERIC),
                p.seq
            ))
        ));
        out.push_str(&format!(
            "    <content type=\"text\">{}</content>\n",
            xml(&p.text)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The saved searches, as `travaux alerts add` saved them.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct AlertList {
    alerts: Vec<SavedSearch>,
}

/// A saved search and where to follow it.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct SavedSearch {
    #[serde(flatten)]
    alert: crate::services::alerts::Alert,
    /// Its Atom feed.
    feed: String,
    /// The search page showing it.
    page: String,
}

fn alert_error(e: AlertError) -> SearchError {
    match e {
        AlertError::Unknown(name) => SearchError::NotFound(format!(
            "no saved search is named `{name}` (GET /api/alerts lists them)"
        )),
        AlertError::Search(e) => e,
        e => SearchError::Internal(e.to_string()),
    }
}

/// The saved searches of this index (`travaux alerts add` saves them), with their feeds.
#[utoipa::path(get, path = "/api/alerts", tag = "search",
    responses((status = 200, description = "The saved searches", body = AlertList)))]
pub(super) async fn alerts(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<AlertList>> {
    let NoParams {} = query(&q)?;
    let dir = st.idx.dir.clone();
    let alerts = blocking(move || Alerts::load(&dir).map_err(alert_error)).await?;
    Ok(Json(AlertList {
        alerts: alerts
            .alerts
            .into_iter()
            .map(|a| SavedSearch {
                feed: format!("/api/alerts/{}.atom", a.name),
                page: format!("/?{}", a.search),
                alert: a,
            })
            .collect(),
    }))
}

/// A saved search's newest matches as an Atom feed: what a feed reader follows.
#[utoipa::path(get, path = "/api/alerts/{file}", tag = "search",
    params(("file" = String, Path, description = "The saved search's name and `.atom`: `NAME.atom`")),
    responses(
        (status = 200, description = "The newest matches, newest first, as an Atom feed", content_type = "application/atom+xml", body = String),
        (status = 404, description = "No saved search of that name", body = ErrorBody)))]
pub(super) async fn alert_feed(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let NoParams {} = query(&q)?;
    let Some(name) = file.strip_suffix(".atom") else {
        return Err(SearchError::NotFound(format!(
            "`{file}`: a saved search's feed is /api/alerts/NAME.atom"
        ))
        .into());
    };
    let dir = st.idx.dir.clone();
    let name = name.to_string();
    let search = blocking(move || {
        let alerts = Alerts::load(&dir).map_err(alert_error)?;
        let a = alerts.get(&name).map_err(alert_error)?;
        Ok(a.search.clone())
    })
    .await?;
    let base = base_url(&st, &headers);
    let this = format!("{base}/api/alerts/{file}");
    atom_answer(st, search, base, this).await
}
