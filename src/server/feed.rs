//! Following searches: a search's newest matches as an Atom feed (`/api/feed.atom`), and the
//! saved searches of `travaux alerts` (`/api/alerts`, each as `/api/alerts/{name}.atom`). The
//! saved searches are read from the index's folder on each request: one added while the server
//! runs is served at once.

use super::{blocking, query, ApiResult, AppState, NoParams};
use crate::alerts::{AlertError, Alerts};
use crate::errors::ErrorBody;
use crate::search::{self, SearchError, SearchRequest};
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Follow a search: its newest matches as an Atom feed, for any feed reader (the same
/// parameters as a search; the 20 newest passages unless `limit` says otherwise).
#[utoipa::path(get, path = "/api/feed.atom", tag = "search", params(SearchRequest),
    responses(
        (status = 200, description = "The newest matches, newest first, as an Atom feed", content_type = "application/atom+xml", body = String),
        (status = 400, description = "A query, filter or parameter the server cannot read", body = ErrorBody)))]
pub(super) async fn feed(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    atom_answer(st, q.unwrap_or_default()).await
}

/// The Atom answer for a search given as a query string.
async fn atom_answer(st: AppState, query: String) -> ApiResult<Response> {
    let mut req = SearchRequest::from_query_string(&query).map_err(SearchError::from)?;
    req.sort = Some(search::Sort::Date);
    req.limit = Some(req.limit.unwrap_or(20));
    req.facets = Some(false);
    let body = blocking(move || {
        let resp = crate::collapse::search_with(&st.idx, &st.idx.reader.searcher(), &req)?;
        Ok(atom(&query, &req, &resp))
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

/// Text for XML: the five characters markup gives meaning to, escaped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom feed (RFC 4287) of a search's hits.
fn atom(query: &str, req: &SearchRequest, resp: &search::SearchResponse) -> String {
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
        "  <link rel=\"alternate\" href=\"/?{}\"/>\n",
        xml(query)
    ));
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
            "    <link rel=\"alternate\" href=\"/api/passages/{}\"/>\n",
            xml(&p.id)
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
    alert: crate::alerts::Alert,
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
#[utoipa::path(get, path = "/api/alerts/{name}.atom", tag = "search",
    params(("name" = String, Path, description = "The saved search's name")),
    responses(
        (status = 200, description = "The newest matches, newest first, as an Atom feed", content_type = "application/atom+xml", body = String),
        (status = 404, description = "No saved search of that name", body = ErrorBody)))]
pub(super) async fn alert_feed(
    State(st): State<AppState>,
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
    atom_answer(st, search).await
}
